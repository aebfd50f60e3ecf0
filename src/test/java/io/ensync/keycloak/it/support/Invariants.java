package io.ensync.keycloak.it.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What must hold in a realm whatever happened (crashes included), read through the admin APIs: nothing half-made.
 * <ul>
 * <li>an invited partner has no clients; an active or suspended one has exactly one existing client per environment
 *     of its integration;</li>
 * <li>every {@code ensync-…} partner client in Keycloak belongs to a partner of the extension;</li>
 * <li>each broker resource server holds exactly the two topic permissions {@code ensync-send} and
 *     {@code ensync-receive}, and a resource for the pattern of every approved grant.</li>
 * </ul>
 */
public final class Invariants {

    private Invariants() {
    }

    public static void check(String realm) {
        Http http = Http.keycloak();
        // A token per request: after a long run the realm's client list alone can take longer than a token lives.
        List<String> broken = new ArrayList<>();

        Map<String, Boolean> keycloakClients = new HashMap<>();
        for (JsonNode client : http.get("/admin/realms/" + realm + "/clients?max=100000", KeycloakApi.adminToken()).expect(200).json()) {
            keycloakClients.put(client.path("clientId").asText(), client.path("enabled").asBoolean());
        }
        Set<String> claimedClients = new HashSet<>();
        Map<String, Integer> environmentsOfIntegration = new HashMap<>();
        for (JsonNode integration : http.get(Ensync.adminBase(realm) + "/integrations?max=500", KeycloakApi.adminToken()).expect(200).data()) {
            environmentsOfIntegration.put(integration.path("id").asText(), integration.path("environments").size());
        }
        for (int first = 0; ; first += 500) {
            JsonNode page = http.get(Ensync.adminBase(realm) + "/partners?max=500&first=" + first, KeycloakApi.adminToken()).expect(200).data();
            for (JsonNode partner : page) {
                String status = partner.path("status").asText();
                List<String> clients = new ArrayList<>();
                for (JsonNode env : partner.path("environments")) {
                    if (!env.path("clientId").isMissingNode()) {
                        clients.add(env.path("clientId").asText());
                    }
                }
                claimedClients.addAll(clients);
                String id = partner.path("id").asText();
                if (status.equals("invited") && !clients.isEmpty()) {
                    broken.add("invited partner " + id + " has clients " + clients);
                }
                // A partner suspended before it redeemed its link has no clients yet (its resume makes it invited again).
                boolean suspendedInvited = status.equals("suspended") && !partner.path("onboardedAt").isTextual();
                if (suspendedInvited && !clients.isEmpty()) {
                    broken.add("suspended partner " + id + ", never onboarded, has clients " + clients);
                }
                if (status.equals("active") || status.equals("suspended") && !suspendedInvited) {
                    int expected = environmentsOfIntegration.getOrDefault(partner.path("integrationId").asText(), -1);
                    if (clients.size() != expected) {
                        broken.add(status + " partner " + id + " has " + clients.size() + " clients, not " + expected);
                    }
                    for (String clientId : clients) {
                        if (!keycloakClients.containsKey(clientId)) {
                            broken.add("client " + clientId + " of partner " + id + " does not exist");
                        }
                    }
                }
                if (status.equals("offboarded") && !clients.isEmpty()) {
                    broken.add("offboarded partner " + id + " still has clients " + clients);
                }
            }
            if (page.size() < 500) {
                break;
            }
        }
        for (String clientId : keycloakClients.keySet()) {
            if (clientId.startsWith("ensync-") && !clientId.startsWith("ensync-broker-") && !claimedClients.contains(clientId)) {
                broken.add("client " + clientId + " belongs to no partner");
            }
        }

        Set<String> approved = new HashSet<>();
        for (int first = 0; ; first += 500) {
            JsonNode page = http.get(Ensync.adminBase(realm) + "/grants?status=approved&max=500&first=" + first, KeycloakApi.adminToken()).expect(200).data();
            page.forEach(g -> approved.add(g.path("environment").asText() + " " + g.path("topic").asText()));
            if (page.size() < 500) {
                break;
            }
        }
        Set<String> resources = new HashSet<>();
        for (String env : List.of("dev", "stage", "prod")) {
            JsonNode broker = http.get("/admin/realms/" + realm + "/clients?clientId=ensync-broker-" + env, KeycloakApi.adminToken()).expect(200).json();
            if (broker.isEmpty()) {
                continue;
            }
            String server = "/admin/realms/" + realm + "/clients/" + broker.get(0).path("id").asText() + "/authz/resource-server";
            Set<String> permissions = new HashSet<>();
            http.get(server + "/permission?max=100000", KeycloakApi.adminToken()).expect(200).json().forEach(p -> permissions.add(p.path("name").asText()));
            if (!permissions.equals(Set.of("ensync-send", "ensync-receive"))) {
                broken.add("ensync-broker-" + env + " has the permissions " + permissions);
            }
            http.get(server + "/resource?max=100000", KeycloakApi.adminToken()).expect(200).json().forEach(r -> resources.add(env + " " + r.path("name").asText()));
        }
        for (String grant : approved) {
            if (!resources.contains(grant)) {
                broken.add("approved grant without its topic resource: " + grant);
            }
        }
        assertEquals(List.of(), broken, "invariants of realm " + realm);
    }
}
