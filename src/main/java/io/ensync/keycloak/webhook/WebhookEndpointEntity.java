package io.ensync.keycloak.webhook;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * An integration's webhook endpoint. The signing secret is kept as is (like Keycloak's client secrets): the server
 * must compute HMACs with it. While a rotated secret overlaps, the previous one signs too, until
 * {@code previousSecretUntil}.
 */
@Entity
@Table(name = "ENSYNC_WEBHOOK")
@NamedQueries({
        @NamedQuery(name = "ensync.webhook.ofIntegration",
                query = "select w from WebhookEndpointEntity w where w.integrationId = :integrationId order by w.createdAt, w.id"),
        @NamedQuery(name = "ensync.webhook.realms", query = "select distinct w.realmId from WebhookEndpointEntity w"),
        @NamedQuery(name = "ensync.webhook.countOfIntegration",
                query = "select count(w) from WebhookEndpointEntity w where w.integrationId = :integrationId"),
        @NamedQuery(name = "ensync.webhook.deleteByIntegration",
                query = "delete from WebhookEndpointEntity w where w.integrationId = :integrationId"),
        @NamedQuery(name = "ensync.webhook.deleteByRealm",
                query = "delete from WebhookEndpointEntity w where w.realmId = :realmId"),
})
public class WebhookEndpointEntity {

    @Id
    @Column(name = "ID", length = 36)
    String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    String realmId;

    @Column(name = "INTEGRATION_ID", length = 36, nullable = false)
    String integrationId;

    @Column(name = "URL", length = 2048, nullable = false)
    String url;

    @Column(name = "DESCRIPTION", length = 500)
    String description;

    /** Comma-separated wire names; null or empty is every type. */
    @Column(name = "EVENT_TYPES", length = 1024)
    String eventTypes;

    @Column(name = "ENABLED", nullable = false)
    boolean enabled;

    @Column(name = "SECRET", length = 128, nullable = false)
    String secret;

    @Column(name = "PREVIOUS_SECRET", length = 128)
    String previousSecret;

    @Column(name = "PREVIOUS_SECRET_UNTIL")
    Long previousSecretUntil;

    @Column(name = "CREATED_AT", nullable = false)
    long createdAt;

    @Column(name = "UPDATED_AT", nullable = false)
    long updatedAt;

    /** Why the server disabled it ({@code gone}: 410; {@code failing}: 5 days of failures), null otherwise. */
    @Column(name = "DISABLED_REASON", length = 32)
    String disabledReason;

    @Column(name = "DISABLED_AT")
    Long disabledAt;

    /** Start of the current run of failed attempts, null after a success. */
    @Column(name = "FAILING_SINCE")
    Long failingSince;

    protected WebhookEndpointEntity() {
    }

    WebhookEndpointEntity(String id, String realmId, String integrationId, long now) {
        this.id = id;
        this.realmId = realmId;
        this.integrationId = integrationId;
        this.createdAt = now;
        this.updatedAt = now;
    }
}
