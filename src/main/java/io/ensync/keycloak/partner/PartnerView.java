package io.ensync.keycloak.partner;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.common.Json;
import io.ensync.keycloak.common.Times;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

import java.util.List;
import java.util.Map;

/** A partner as the integration and admin APIs show it: status and clients, never a secret. */
public record PartnerView(String id, String integrationId, String appName, String appDescription, JsonNode metadata,
                          String status, String stage, List<EnvironmentView> environments, String createdAt,
                          String onboardedAt) {

    /** One environment: its client id once onboarded, whether the client may get tokens, its secret's age. */
    public record EnvironmentView(String name, String clientId, boolean enabled, String secretCreatedAt) {
    }

    static PartnerView of(PartnerEntity partner, RealmModel realm) {
        Map<String, PartnerClientEntity> clients = PartnerClients.byEnvironment(partner);
        List<EnvironmentView> environments = partner.getIntegration().getEnvironments().stream().map(env -> {
            PartnerClientEntity pc = clients.get(env.id());
            ClientModel client = pc == null ? null : realm.getClientById(pc.getClientUuid());
            return client == null
                    ? new EnvironmentView(env.id(), pc == null ? null : pc.getClientId(), false, null)
                    : new EnvironmentView(env.id(), client.getClientId(), client.isEnabled(), PartnerClients.secretCreatedAt(client));
        }).toList();
        JsonNode metadata = partner.getMetadata() == null ? null : Json.readStored(partner.getMetadata(), JsonNode.class);
        return new PartnerView(partner.getId(), partner.getIntegration().getId(), partner.getAppName(),
                partner.getAppDescription(), metadata, partner.getStatus().id(), partner.getStage(), environments,
                Times.iso(partner.getCreatedAt()), Times.iso(partner.getOnboardedAt()));
    }

    static Environment stageOf(PartnerEntity partner) {
        return Environment.parse("stage", partner.getStage());
    }
}
