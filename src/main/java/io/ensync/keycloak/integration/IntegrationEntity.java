package io.ensync.keycloak.integration;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

import io.ensync.keycloak.common.Environment;
import io.ensync.keycloak.common.Json;
import java.util.ArrayList;
import java.util.Set;
import java.util.List;

/** An integration of a realm: the settings its partners live under. */
@Entity
@Table(name = "ENSYNC_INTEGRATION")
@NamedQueries({
        @NamedQuery(name = "ensync.integration.byRealm",
                query = "select i from IntegrationEntity i where i.realmId = :realmId order by i.createdAt, i.id"),
        @NamedQuery(name = "ensync.integration.byJoinSlug",
                query = "select i from IntegrationEntity i where i.realmId = :realmId and i.joinSlug = :slug"),
        @NamedQuery(name = "ensync.integration.countByRealmAndName",
                query = "select count(i) from IntegrationEntity i where i.realmId = :realmId and i.name = :name and i.id <> :id"),
})
public class IntegrationEntity {

    public static final String ACCESS_REQUESTS_OFF = "off";
    public static final String ACCESS_REQUESTS_APPROVAL = "approval";

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "NAME", length = 100, nullable = false)
    private String name;

    @Column(name = "DESCRIPTION", length = 1000)
    private String description;

    /** Comma-separated environment ids, in promotion order. */
    @Column(name = "ENVIRONMENTS", length = 32, nullable = false)
    private String environments;

    @Column(name = "LINK_TTL_SECONDS", nullable = false)
    private int linkTtlSeconds;

    /** Space-separated origins allowed to frame the portal. */
    @Column(name = "EMBED_ORIGINS", length = 2048)
    private String embedOrigins;

    /** Hosts a partner's JWKS URL may point at, space-separated; none: JWKS URLs are not allowed. */
    @Column(name = "JWKS_URL_HOSTS", length = 2048)
    private String jwksUrlHosts;

    @Column(name = "MAX_SECRET_AGE_DEV")
    private Integer maxSecretAgeDaysDev;

    @Column(name = "MAX_SECRET_AGE_STAGE")
    private Integer maxSecretAgeDaysStage;

    @Column(name = "MAX_SECRET_AGE_PROD")
    private Integer maxSecretAgeDaysProd;

    @Column(name = "ROTATION_GRACE_SECONDS", nullable = false)
    private int rotationGraceSeconds;

    @Column(name = "MAX_GRANTS_PER_ENV", nullable = false)
    private int maxGrantsPerEnvironment;

    @Column(name = "ENABLED", nullable = false)
    private boolean enabled;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    @Column(name = "UPDATED_AT", nullable = false)
    private long updatedAt;

    /** {@code off} or {@code approval} (SPEC §15). */
    @Column(name = "ACCESS_REQUESTS", length = 16, nullable = false)
    private String accessRequests = ACCESS_REQUESTS_OFF;

    /** The short name of the join page ({@code portal/join/{slug}}), unique in the realm; null: the id only. */
    @Column(name = "JOIN_SLUG", length = 40)
    private String joinSlug;

    /** The integration's own questions on its join page, a JSON array of {@link JoinField}; null: none. */
    @Column(name = "JOIN_FIELDS", length = 2048)
    private String joinFields;

    @Column(name = "COLOR", length = 7)
    private String color;

    @Column(name = "ICON", length = 2048)
    private String icon;

    @OneToMany(mappedBy = "integration", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("position")
    private List<TopicRuleEntity> topics = new ArrayList<>();

    protected IntegrationEntity() {
    }

    public IntegrationEntity(String id, String realmId, long createdAt) {
        this.id = id;
        this.realmId = realmId;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
    }

    public String getId() { return id; }
    public String getRealmId() { return realmId; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getDescription() { return description; }
    public void setDescription(String description) { this.description = description; }
    public Set<Environment> getEnvironments() { return Environment.split(environments); }
    public void setEnvironments(Set<Environment> environments) { this.environments = Environment.join(environments); }
    public int getLinkTtlSeconds() { return linkTtlSeconds; }
    public void setLinkTtlSeconds(int linkTtlSeconds) { this.linkTtlSeconds = linkTtlSeconds; }
    public List<String> getEmbedOrigins() {
        return embedOrigins == null || embedOrigins.isEmpty() ? List.of() : List.of(embedOrigins.split(" "));
    }
    public void setEmbedOrigins(List<String> origins) { this.embedOrigins = String.join(" ", origins); }

    public List<String> getJwksUrlHosts() {
        return jwksUrlHosts == null || jwksUrlHosts.isEmpty() ? List.of() : List.of(jwksUrlHosts.split(" "));
    }

    public void setJwksUrlHosts(List<String> hosts) { this.jwksUrlHosts = hosts.isEmpty() ? null : String.join(" ", hosts); }
    public Integer getMaxSecretAgeDays(Environment env) {
        return switch (env) {
            case DEV -> maxSecretAgeDaysDev;
            case STAGE -> maxSecretAgeDaysStage;
            case PROD -> maxSecretAgeDaysProd;
        };
    }
    public void setMaxSecretAgeDays(Environment env, Integer days) {
        switch (env) {
            case DEV -> maxSecretAgeDaysDev = days;
            case STAGE -> maxSecretAgeDaysStage = days;
            case PROD -> maxSecretAgeDaysProd = days;
        }
    }
    public int getRotationGraceSeconds() { return rotationGraceSeconds; }
    public void setRotationGraceSeconds(int seconds) { this.rotationGraceSeconds = seconds; }
    public int getMaxGrantsPerEnvironment() { return maxGrantsPerEnvironment; }
    public void setMaxGrantsPerEnvironment(int max) { this.maxGrantsPerEnvironment = max; }
    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public long getCreatedAt() { return createdAt; }
    public long getUpdatedAt() { return updatedAt; }
    public void setUpdatedAt(long updatedAt) { this.updatedAt = updatedAt; }
    public List<TopicRuleEntity> getTopics() { return topics; }
    public String getAccessRequests() { return accessRequests; }
    public void setAccessRequests(String accessRequests) { this.accessRequests = accessRequests; }
    public boolean acceptsAccessRequests() { return enabled && ACCESS_REQUESTS_APPROVAL.equals(accessRequests); }
    public String getJoinSlug() { return joinSlug; }
    public void setJoinSlug(String joinSlug) { this.joinSlug = joinSlug; }
    public List<JoinField> getJoinFields() {
        return joinFields == null ? List.of() : List.of(Json.readStored(joinFields, JoinField[].class));
    }
    public void setJoinFields(List<JoinField> fields) { this.joinFields = fields.isEmpty() ? null : Json.write(fields); }
    public String getColor() { return color; }
    public void setColor(String color) { this.color = color; }
    public String getIcon() { return icon; }
    public void setIcon(String icon) { this.icon = icon; }
}
