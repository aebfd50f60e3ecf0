package io.ensync.keycloak.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.audit.Audit;
import io.ensync.keycloak.audit.AuditResource;
import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.Checks;
import io.ensync.keycloak.common.ErrorCode;
import io.ensync.keycloak.common.Ids;
import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Json;
import io.ensync.keycloak.common.Paging;
import io.ensync.keycloak.common.Secrets;
import io.ensync.keycloak.common.Times;
import io.ensync.keycloak.integration.IntegrationEntity;
import io.ensync.keycloak.integration.JoinField;
import io.ensync.keycloak.lifecycle.EventType;
import io.ensync.keycloak.lifecycle.IntegrationDeleted;
import io.ensync.keycloak.lifecycle.LifecycleEvent;
import io.ensync.keycloak.partner.PartnerInput;
import io.ensync.keycloak.partner.PartnerService;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.utils.EmailValidationUtil;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Access requests (SPEC §15): submitted on an integration's join page, verified by the contact through a mailed
 * one-time link, decided by a realm admin or the integration's backend. Nothing is created for a requester before
 * an approval; an approval creates the partner exactly as the partner endpoint does.
 */
public class AccessRequestService {

    public static final long VERIFICATION_TTL_MILLIS = 24 * 3600 * 1000L;
    /** Open (unverified or pending) requests an integration holds at most: a join page cannot bury its admins. */
    static final int MAX_OPEN_PER_INTEGRATION = 200;
    /** Open requests one contact address holds at most, over every integration of the realm. */
    static final int MAX_OPEN_PER_CONTACT = 3;
    /** A repeated submission mails the verification link again at most this often. */
    static final long RESEND_AFTER_MILLIS = 10 * 60 * 1000L;
    static final String TOKEN_PREFIX = "ensync_ar_";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final EntityManager em;

    public AccessRequestService(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.em = Jpa.em(session);
    }

    /** What the join form sends; answers to the integration's own questions by key. */
    public record Submission(String appName, String appDescription, String contactEmail, Map<String, String> answers) {
    }

    /**
     * Validates and stores a request and mails its verification link. A submission for a contact that already has an
     * open request at this integration answers that one (mailing its link again, at most every ten minutes) instead of
     * making another; the caller's page says the same either way, so the form tells nobody whether an address is known.
     */
    public void submit(IntegrationEntity integration, Submission submission, Locale locale, String verifyBaseUrl) {
        requireAccepting(integration);
        String appName = Checks.requiredText("appName", submission.appName(), 100);
        String appDescription = Checks.optionalMultiline("appDescription", submission.appDescription(), 1000);
        String contact = contactEmail(submission.contactEmail());
        String answers = answers(integration.getJoinFields(), submission.answers());
        long now = Times.now();
        List<AccessRequestEntity> open = em.createNamedQuery("ensync.accessRequest.openOfContact", AccessRequestEntity.class)
                .setParameter("realmId", realm.getId()).setParameter("contactEmail", contact)
                .setParameter("unverifiedSince", now - VERIFICATION_TTL_MILLIS).getResultList();
        AccessRequestEntity existing = open.stream().filter(r -> r.getIntegrationId().equals(integration.getId())).findFirst().orElse(null);
        if (existing != null) {
            if (existing.getStatus() == AccessRequestStatus.UNVERIFIED && now - existing.getMailedAt() >= RESEND_AFTER_MILLIS) {
                mailVerification(existing, integration, verifyBaseUrl, now);
            }
            return;
        }
        if (open.size() >= MAX_OPEN_PER_CONTACT) {
            throw ApiException.of(ErrorCode.ACCESS_REQUEST_LIMIT, "This address has " + MAX_OPEN_PER_CONTACT + " open requests; wait until they are decided.");
        }
        long openOfIntegration = em.createNamedQuery("ensync.accessRequest.countOpenOfIntegration", Long.class)
                .setParameter("integrationId", integration.getId())
                .setParameter("unverifiedSince", now - VERIFICATION_TTL_MILLIS).getSingleResult();
        if (openOfIntegration >= MAX_OPEN_PER_INTEGRATION) {
            throw ApiException.of(ErrorCode.ACCESS_REQUEST_LIMIT, "This integration has too many open requests right now; try again later.");
        }
        AccessRequestEntity request = new AccessRequestEntity(KeycloakModelUtils.generateId(), realm.getId(), integration.getId(), now);
        request.setAppName(appName);
        request.setAppDescription(appDescription);
        request.setContactEmail(contact);
        request.setFields(answers);
        request.setLocale(locale.toLanguageTag());
        mailVerification(request, integration, verifyBaseUrl, now);
        em.persist(request);
    }

    /** A new one-time token (the previous one stops working), mailed; only its hash is kept. */
    private void mailVerification(AccessRequestEntity request, IntegrationEntity integration, String verifyBaseUrl, long now) {
        String token = Secrets.newSecret(TOKEN_PREFIX);
        request.setTokenHash(Secrets.hash(token));
        request.setMailedAt(now);
        new AccessRequestMail(session, realm).verification(request, integration.getName(), verifyBaseUrl + "/" + token);
    }

    /**
     * The unverified request of a verification token. Unknown → 404 (the caller counts it as a guess), used → 410
     * {@code link_used}, older than 24 h → 410 {@code link_expired}.
     */
    public AccessRequestEntity ofToken(String token) {
        AccessRequestEntity request = Secrets.looksLike(TOKEN_PREFIX, token)
                ? em.createNamedQuery("ensync.accessRequest.byTokenHash", AccessRequestEntity.class)
                .setParameter("tokenHash", Secrets.hash(token)).getResultStream().findFirst().orElse(null)
                : null;
        if (request == null || !request.getRealmId().equals(realm.getId())) {
            throw ApiException.notFound("Verification link");
        }
        if (request.getStatus() == AccessRequestStatus.UNVERIFIED && request.getCreatedAt() < Times.now() - VERIFICATION_TTL_MILLIS) {
            throw ApiException.of(ErrorCode.LINK_EXPIRED, "This verification link has expired; send the form again.");
        }
        return request;
    }

    /** Confirms the contact address: the request now waits for a decision, and its admins hear of it. */
    public AccessRequestEntity verify(String token) {
        AccessRequestEntity request = ofToken(token);
        // Re-read under a row lock: of two clicks racing (two tabs, two nodes) one confirms, the other is told so.
        em.refresh(request, LockModeType.PESSIMISTIC_WRITE);
        if (request.getStatus() != AccessRequestStatus.UNVERIFIED) {
            throw ApiException.of(ErrorCode.LINK_USED, "This address has already been confirmed.");
        }
        IntegrationEntity integration = integrationOf(request);
        request.setStatus(AccessRequestStatus.PENDING);
        request.setVerifiedAt(Times.now());
        record(new Actor.Requester(request.getId()), OperationType.CREATE, request);
        publish(EventType.ACCESS_REQUEST_RECEIVED, integration, request, null);
        return request;
    }

    public List<AccessRequestView> list(String integrationId, String status, Paging paging) {
        AccessRequestStatus wanted = status == null || status.isEmpty() ? null : AccessRequestStatus.parseVisible(status);
        return em.createNamedQuery("ensync.accessRequest.list", AccessRequestEntity.class)
                .setParameter("realmId", realm.getId()).setParameter("status", wanted)
                .setParameter("integrationId", integrationId)
                .setFirstResult(paging.first()).setMaxResults(paging.max())
                .getResultStream().map(AccessRequestView::of).toList();
    }

    /**
     * A verified request of this realm, and of {@code integrationId} when one is given (an integration key sees its
     * own only); an unverified one does not exist for anybody but its contact.
     */
    public AccessRequestEntity get(String id, String integrationId) {
        AccessRequestEntity request = Ids.isId(id) ? em.find(AccessRequestEntity.class, id) : null;
        if (request == null || !request.getRealmId().equals(realm.getId()) || request.getStatus() == AccessRequestStatus.UNVERIFIED
                || integrationId != null && !integrationId.equals(request.getIntegrationId())) {
            throw ApiException.notFound("Access request");
        }
        return request;
    }

    /**
     * Creates the partner as the partner endpoint does (same validation, audit and {@code partner.created}), its
     * metadata naming the request and the contact, and mails the one-time onboarding link to the verified contact.
     * The link goes to the contact only: the decider never sees it.
     */
    public AccessRequestView approve(String id, String integrationId, Actor actor) {
        AccessRequestEntity request = lockPending(id, integrationId);
        IntegrationEntity integration = integrationOf(request);
        if (!integration.isEnabled()) {
            throw ApiException.of(ErrorCode.INTEGRATION_DISABLED_CONFLICT, "The integration is disabled; enable it before approving.");
        }
        ObjectNode metadata = request.getFields() == null ? JsonNodeFactory.instance.objectNode()
                : (ObjectNode) Json.readStored(request.getFields(), JsonNode.class);
        metadata.put("accessRequest", request.getId());
        metadata.put("contactEmail", request.getContactEmail());
        PartnerService.Created created = new PartnerService(session, realm)
                .create(integration, new PartnerInput(request.getAppName(), request.getAppDescription(), metadata), null, actor);
        request.decide(AccessRequestStatus.APPROVED, Times.now(), actor.reference(), null, created.id());
        new AccessRequestMail(session, realm).approved(request, integration.getName(), created.url(), integration.getLinkTtlSeconds());
        record(actor, OperationType.ACTION, request);
        publish(EventType.ACCESS_REQUEST_APPROVED, integration, request, actor);
        return AccessRequestView.of(request);
    }

    /** Denies with an optional reason, mailed to the contact. */
    public AccessRequestView deny(String id, String integrationId, String reason, Actor actor) {
        String checkedReason = Checks.optionalMultiline("reason", reason, 500);
        AccessRequestEntity request = lockPending(id, integrationId);
        IntegrationEntity integration = integrationOf(request);
        request.decide(AccessRequestStatus.DENIED, Times.now(), actor.reference(), checkedReason, null);
        new AccessRequestMail(session, realm).denied(request, integration.getName());
        record(actor, OperationType.ACTION, request);
        publish(EventType.ACCESS_REQUEST_DENIED, integration, request, actor);
        return AccessRequestView.of(request);
    }

    /** An integration's requests go with it (its partners are offboarded by then), in its deletion's transaction. */
    public static void onIntegrationDeleted(ProviderEvent event) {
        if (event instanceof IntegrationDeleted deleted) {
            Jpa.em(deleted.session()).createNamedQuery("ensync.accessRequest.deleteByIntegration")
                    .setParameter("integrationId", deleted.integrationId()).executeUpdate();
        }
    }

    /** The request locked against a concurrent decision (another admin, the integrator, another node), still pending. */
    private AccessRequestEntity lockPending(String id, String integrationId) {
        AccessRequestEntity request = get(id, integrationId);
        em.refresh(request, LockModeType.PESSIMISTIC_WRITE);
        if (request.getStatus() != AccessRequestStatus.PENDING) {
            throw ApiException.of(ErrorCode.ACCESS_REQUEST_DECIDED, "This access request has already been " + request.getStatus().id() + ".");
        }
        return request;
    }

    /** The integration a request asks to join. */
    IntegrationEntity integrationOf(AccessRequestEntity request) {
        return em.find(IntegrationEntity.class, request.getIntegrationId());
    }

    /** A join page exists only while its integration is enabled and accepts requests. */
    static void requireAccepting(IntegrationEntity integration) {
        if (integration == null || !integration.acceptsAccessRequests()) {
            throw ApiException.notFound("Join page");
        }
    }

    private static String contactEmail(String value) {
        String email = Checks.requiredText("contactEmail", value, 254);
        if (!EmailValidationUtil.isValidEmail(email)) {
            throw ApiException.invalid("contactEmail", "contactEmail must be an e-mail address, like dev@partner.example.");
        }
        return email.toLowerCase(Locale.ROOT);
    }

    /** The answers to the integration's questions, as a JSON object of strings; required ones must be there. */
    private static String answers(List<JoinField> questions, Map<String, String> given) {
        Map<String, String> answers = new LinkedHashMap<>();
        for (JoinField question : questions) {
            String field = "fields." + question.key();
            String answer = given == null ? null : given.get(question.key());
            String checked = question.required() ? Checks.requiredText(field, answer, 500) : Checks.optionalText(field, answer, 500);
            if (checked != null) {
                answers.put(question.key(), checked);
            }
        }
        return answers.isEmpty() ? null : Json.write(answers);
    }

    private void record(Actor actor, OperationType operation, AccessRequestEntity request) {
        new Audit(session, realm).record(actor, AuditResource.ENSYNC_ACCESS_REQUEST, operation, AccessRequestView.of(request),
                "integrations", request.getIntegrationId(), "access-requests", request.getId());
    }

    private void publish(EventType type, IntegrationEntity integration, AccessRequestEntity request, Actor actor) {
        LifecycleEvent.publish(new LifecycleEvent.AccessRequest(session, realm.getId(), type, integration.getId(), request.getId(),
                request.getPartnerId(), request.getAppName(), request.getContactEmail(), request.getReason(),
                actor == null ? null : actor.reference()));
    }
}
