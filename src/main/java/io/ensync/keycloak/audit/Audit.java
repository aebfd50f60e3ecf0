package io.ensync.keycloak.audit;

import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.AuthDetails;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.StripSecretsUtils;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.util.JsonSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Records every change of state as a Keycloak admin event ({@code resourcePath} under {@code ensync/}), in the same
 * transaction as the change. Representations handed in here must never hold a secret.
 */
public final class Audit {

    public static final String PATH_ROOT = "ensync";

    private final KeycloakSession session;
    private final RealmModel realm;

    public Audit(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    public void record(Actor actor, AuditResource resource, OperationType operation, Object representation, String... path) {
        String[] fullPath = new String[path.length + 1];
        fullPath[0] = PATH_ROOT;
        System.arraycopy(path, 0, fullPath, 1, path.length);
        if (actor instanceof Actor.Admin admin) {
            AdminEventBuilder events = admin.events();
            // A request may record several events through one builder: clear what the previous one left.
            events.getEvent().setRepresentation(null);
            events.getEvent().setDetails(new HashMap<>(Map.of("principal", "admin")));
            events.operation(operation)
                    .resource(resource.name())
                    .resourcePath(fullPath)
                    .representation(representation)
                    .success();
            return;
        }
        AdminEvent event = principalEvent(actor);
        event.setOperationType(operation);
        event.setResourceTypeAsString(resource.name());
        event.setResourcePath(String.join("/", fullPath));
        event.setRepresentation(json(representation));
        PrincipalEvents.send(session, realm, event);
    }

    /** The representation as Keycloak's AdminEventBuilder.representation writes it (secrets stripped, JSON). */
    private String json(Object representation) {
        if (representation == null || representation.equals("")) {
            return null;
        }
        StripSecretsUtils.stripSecrets(session, representation);
        try {
            return JsonSerialization.writeValueAsString(representation);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An event of this realm acted by an integration or a partner: auth details and the {@code principal} detail. */
    private AdminEvent principalEvent(Actor actor) {
        AdminEvent event = new AdminEvent();
        event.setRealmId(realm.getId());
        event.setRealmName(realm.getName());
        AuthDetails auth = new AuthDetails();
        auth.setRealmId(realm.getId());
        auth.setRealmName(realm.getName());
        // The server acts outside any request: no connection to ask (Keycloak before 26.7 throws when asked).
        auth.setIpAddress(actor instanceof Actor.Server ? null : session.getContext().getConnection().getRemoteAddr());
        Map<String, String> details = new HashMap<>();
        if (actor instanceof Actor.Server) {
            details.put("principal", "server");
        } else if (actor instanceof Actor.Integration integration) {
            details.put("principal", "integration");
            details.put("integrationId", integration.integrationId());
            details.put("keyId", integration.keyId());
        } else if (actor instanceof Actor.Requester requester) {
            details.put("principal", "requester");
            details.put("accessRequestId", requester.accessRequestId());
        } else if (actor instanceof Actor.Partner partner) {
            details.put("principal", "partner");
            details.put("partnerId", partner.partnerId());
            if (partner.client() != null) {
                auth.setClientId(partner.client().getId());
                UserModel serviceAccount = session.users().getServiceAccount(partner.client());
                if (serviceAccount != null) {
                    auth.setUserId(serviceAccount.getId());
                }
            }
        }
        event.setAuthDetails(auth);
        event.setDetails(details);
        return event;
    }
}
