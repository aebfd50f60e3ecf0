package io.ensync.keycloak.integration;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** One entry of an integration's topic catalog: what partners may request, and where it is granted at once. */
@Entity
@Table(name = "ENSYNC_TOPIC_RULE")
public class TopicRuleEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "INTEGRATION_ID")
    private IntegrationEntity integration;

    @Column(name = "POSITION", nullable = false)
    private int position;

    @Column(name = "PATTERN", length = 255, nullable = false)
    private String pattern;

    @Column(name = "ALLOW_SEND", nullable = false)
    private boolean send;

    @Column(name = "ALLOW_RECEIVE", nullable = false)
    private boolean receive;

    /** Comma-separated environments where requests under this rule are approved without an admin. */
    @Column(name = "AUTO_APPROVE", length = 32, nullable = false)
    private String autoApprove;

    protected TopicRuleEntity() {
    }

    public TopicRuleEntity(String id, IntegrationEntity integration, int position, String pattern,
                           boolean send, boolean receive, String autoApprove) {
        this.id = id;
        this.integration = integration;
        this.position = position;
        this.pattern = pattern;
        this.send = send;
        this.receive = receive;
        this.autoApprove = autoApprove;
    }

    public String getId() { return id; }
    public IntegrationEntity getIntegration() { return integration; }
    public int getPosition() { return position; }
    public String getPattern() { return pattern; }
    public boolean isSend() { return send; }
    public boolean isReceive() { return receive; }
    public String getAutoApprove() { return autoApprove; }
}
