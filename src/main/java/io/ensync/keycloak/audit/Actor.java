package io.ensync.keycloak.audit;

import org.keycloak.models.ClientModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;

/**
 * Who acts, as the audit trail names it. A realm admin is Keycloak's own (user and client in the event's auth
 * details); an integration or a partner is named in the event details ({@code principal}, and its id).
 */
public sealed interface Actor {

    /** How a decision records its maker: the admin's user id, or the principal kind and id. */
    default String reference() {
        if (this instanceof Admin admin) {
            return admin.events().getEvent().getAuthDetails().getUserId();
        }
        if (this instanceof Integration integration) {
            return "integration:" + integration.integrationId();
        }
        if (this instanceof Server) {
            return "server";
        }
        if (this instanceof Requester requester) {
            return "requester:" + requester.accessRequestId();
        }
        return "partner:" + ((Partner) this).partnerId();
    }

    /** A realm admin, carried by the admin event builder Keycloak prepared for the request. */
    record Admin(AdminEventBuilder events) implements Actor {
    }

    /** The integrator's backend, authenticated by one of the integration's keys. */
    record Integration(String integrationId, String keyId) implements Actor {
    }

    /** The server itself, outside any request (e.g. the webhook worker disabling an endpoint). */
    record Server() implements Actor {
    }

    /** Whoever holds an access request's contact address: it proved so by following the mailed verification link. */
    record Requester(String accessRequestId) implements Actor {
    }

    /** The partner: through a link or portal session ({@code client} null) or one of its own clients' tokens. */
    record Partner(String partnerId, ClientModel client) implements Actor {
    }
}
