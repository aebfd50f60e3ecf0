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

    /**
     * One environment: its client id once onboarded, whether the client may get tokens, how it authenticates
     * ({@code client_secret} with its secret's age, or {@code private_key_jwt} with its keys' ids and algorithms).
     */
    public record EnvironmentView(String name, String clientId, boolean enabled, String authMethod, String secretCreatedAt,
                                  List<Jwks.KeyView> keys) {
    }

    static PartnerView of(PartnerEntity partner, RealmModel realm) {
        Map<String, PartnerClientEntity> clients = PartnerClients.byEnvironment(partner);
        List<EnvironmentView> environments = partner.getIntegration().getEnvironments().stream().map(env -> {
            PartnerClientEntity pc = clients.get(env.id());
            ClientModel client = pc == null ? null : realm.getClientById(pc.getClientUuid());
            return client == null
                    ? new EnvironmentView(env.id(), pc == null ? null : pc.getClientId(), false, null, null, null)
                    : PartnerKeys.usesKeys(client)
                    ? new EnvironmentView(env.id(), client.getClientId(), client.isEnabled(), PartnerKeys.PRIVATE_KEY_JWT,
                            null, PartnerKeys.keyViews(client))
                    : new EnvironmentView(env.id(), client.getClientId(), client.isEnabled(), PartnerKeys.CLIENT_SECRET,
                            PartnerClients.secretCreatedAt(client), null);
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
