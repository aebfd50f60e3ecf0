package io.ensync.keycloak.webhook;

import io.ensync.keycloak.audit.Actor;
import io.ensync.keycloak.audit.Audit;
import io.ensync.keycloak.audit.AuditResource;
import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.Times;
import io.ensync.keycloak.metrics.EnsyncMetrics;
import org.jboss.logging.Logger;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.timer.ScheduledTask;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The delivery worker of this node. Keycloak's timer runs {@link #run} every second and a commit that wrote to the
 * outbox nudges it; either way one poller thread takes due messages in batches — in one transaction, each by a row
 * lease (a conditional UPDATE, so any node may deliver but one at a time) — and a few sender threads POST them,
 * outside any transaction: no redirects, at most 4 KiB of the answer read, and the whole attempt (connection, answer
 * and the part of its body read) within 10 s, however slowly the receiver answers. The same transaction that takes
 * the next batch writes the outcomes of the last. Nothing of this runs on a request's thread.
 */
public final class WebhookDelivery implements ScheduledTask {

    public static final long INTERVAL_MILLIS = 1000;
    public static final String TASK_NAME = "ensync-webhook-delivery";
    static final long LEASE_MILLIS = 60_000;
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int SENDERS = 4;
    // At most 4 rounds of 10 s attempts wait in the queue, and the poll that records them runs when half are done: an
    // attempt ends and is recorded well within its 60 s lease. A node stalled past that (a pause, a database outage)
    // does not send what it no longer holds, and its late outcomes are dropped (see send and record).
    private static final int MAX_IN_FLIGHT = 16;
    /** How many messages a poll takes at least when some are in flight. */
    private static final int BATCH = MAX_IN_FLIGHT / 2;
    private static final int MAX_ANSWER_BYTES = 4096;
    private static final Logger LOG = Logger.getLogger(WebhookDelivery.class);

    private static volatile KeycloakSessionFactory factory;
    private static volatile boolean allowPrivateTargets;
    private static ExecutorService poller;
    private static ExecutorService senders;
    private static HttpClient http;
    private static final AtomicBoolean POLL_QUEUED = new AtomicBoolean();
    private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    private static final Queue<Sent> OUTCOMES = new ConcurrentLinkedQueue<>();

    /** Starts this node's worker (the SPI factory's postInit). */
    public static synchronized void start(KeycloakSessionFactory sessionFactory, boolean allowPrivate) {
        factory = sessionFactory;
        allowPrivateTargets = allowPrivate;
        poller = Executors.newSingleThreadExecutor(threads("ensync-webhook-poll"));
        senders = Executors.newFixedThreadPool(SENDERS, threads("ensync-webhook-send"));
        http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    public static synchronized void stop() {
        if (poller != null) {
            poller.shutdownNow();
            senders.shutdownNow();
        }
    }

    /** Whether this server lets webhooks reach loopback and private addresses (the SPI option). */
    public static boolean allowPrivateTargets() {
        return allowPrivateTargets;
    }

    @Override
    public void run(KeycloakSession session) {
        nudge();
    }

    @Override
    public String getTaskName() {
        return TASK_NAME;
    }

    /** Asks the poller to look for due messages (at most one poll waits at a time). */
    static void nudge() {
        ExecutorService p = poller;
        if (p != null && !p.isShutdown() && POLL_QUEUED.compareAndSet(false, true)) {
            try {
                p.execute(() -> {
                    POLL_QUEUED.set(false);
                    poll();
                });
            } catch (RuntimeException e) {
                POLL_QUEUED.set(false);
            }
        }
    }

    private static void poll() {
        try {
            // Work in batches: a poll waits until half the room is free (or none is in flight), so that one
            // transaction records the outcomes of several attempts and takes the next several messages.
            int room = MAX_IN_FLIGHT - IN_FLIGHT.get();
            if (room < BATCH && room < MAX_IN_FLIGHT) {
                return;
            }
            List<Sent> sent = new ArrayList<>();
            for (Sent next = OUTCOMES.poll(); next != null; next = OUTCOMES.poll()) {
                sent.add(next);
            }
            long now = Times.now();
            List<Attempt> taken = new ArrayList<>();
            // If this transaction fails, the messages sent stay leased and are sent again with the same id once the
            // lease ends: at least once, as after a crash between sending and recording.
            KeycloakModelUtils.runJobInTransaction(factory, session -> {
                sent.forEach(s -> record(session, s.attempt(), s.outcome()));
                taken.addAll(take(session, now, room));
            });
            for (Attempt attempt : taken) {
                IN_FLIGHT.incrementAndGet();
                senders.execute(() -> {
                    try {
                        if (Times.now() + TIMEOUT.toMillis() < attempt.leaseUntil()) {
                            OUTCOMES.add(new Sent(attempt, send(attempt)));
                        }
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "Webhook message %s: delivery failed; retried after its lease", attempt.id());
                    } finally {
                        if (IN_FLIGHT.decrementAndGet() <= MAX_IN_FLIGHT - BATCH) {
                            nudge();
                        }
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.warn("Webhook poll failed", e);
        }
    }

    /**
     * Takes up to {@code room} due messages for this node for {@link #LEASE_MILLIS}, each by a conditional UPDATE (so
     * that any node may deliver, but one at a time: another node's UPDATE of the same row waits for this commit and
     * then finds the lease taken), and answers what to send.
     */
    private static List<Attempt> take(KeycloakSession session, long now, int room) {
        List<String> due = Jpa.em(session).createNamedQuery("ensync.webhookMessage.due", String.class).setParameter("now", now)
                .setMaxResults(room).getResultList();
        List<Attempt> taken = new ArrayList<>();
        for (String id : due) {
            int leased = Jpa.em(session).createNamedQuery("ensync.webhookMessage.lease").setParameter("id", id)
                    .setParameter("now", now).setParameter("until", now + LEASE_MILLIS).executeUpdate();
            Attempt attempt = leased == 1 ? prepare(session, id, now + LEASE_MILLIS) : null;
            if (attempt != null) {
                taken.add(attempt);
            }
        }
        return taken;
    }

    /** What one attempt was to send, and the end of the lease it holds (an attempt left too late is not sent). */
    private record Attempt(String id, String url, String payload, List<String> secrets, long leaseUntil) {
    }

    /** How an attempt ended: an HTTP status, or none ({@code status} 0) with the error. */
    record Outcome(int status, String error, long latencyMillis) {
    }

    private record Sent(Attempt attempt, Outcome outcome) {
    }

    private static Attempt prepare(KeycloakSession session, String id, long leaseUntil) {
        WebhookMessageEntity message = Jpa.em(session).find(WebhookMessageEntity.class, id);
        if (message == null || message.status != WebhookMessageStatus.PENDING) {
            return null;
        }
        WebhookEndpointEntity endpoint = Jpa.em(session).find(WebhookEndpointEntity.class, message.endpointId);
        if (endpoint == null || !endpoint.enabled) {
            message.status = WebhookMessageStatus.FAILED;
            message.lastError = endpoint == null ? "endpoint deleted" : "endpoint disabled";
            message.leaseUntil = null;
            message.nextAttemptAt = null;
            return null;
        }
        return new Attempt(id, endpoint.url, message.payload, WebhookService.signingSecrets(endpoint, Times.now()), leaseUntil);
    }

    static Outcome send(Attempt attempt) {
        long started = System.nanoTime();
        URI uri = URI.create(attempt.url());
        String refusal = TargetPolicy.refusal(uri, allowPrivateTargets);
        if (refusal != null) {
            return new Outcome(0, refusal, 0);
        }
        // The wall clock, not Keycloak's (which tests may shift): receivers compare it with theirs.
        long timestamp = System.currentTimeMillis() / 1000;
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("content-type", "application/json")
                .header("user-agent", "EnSync-Webhooks/1.0")
                .header("webhook-id", attempt.id())
                .header("webhook-timestamp", String.valueOf(timestamp))
                .header("webhook-signature", Signature.header(attempt.secrets(), attempt.id(), timestamp, attempt.payload()))
                .POST(HttpRequest.BodyPublishers.ofString(attempt.payload())).build();
        CompletableFuture<HttpResponse<Void>> answer = http.sendAsync(request, info -> new AnswerStart());
        try {
            // The request's timeout covers the answer's headers only; this one covers the body read as well.
            int status = answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).statusCode();
            return new Outcome(status, null, (System.nanoTime() - started) / 1_000_000);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return new Outcome(0, "timeout", (System.nanoTime() - started) / 1_000_000);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpTimeoutException) {
                return new Outcome(0, "timeout", (System.nanoTime() - started) / 1_000_000);
            }
            String message = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            return new Outcome(0, message.length() > 255 ? message.substring(0, 255) : message, (System.nanoTime() - started) / 1_000_000);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return new Outcome(0, "interrupted", (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * Reads at most {@link #MAX_ANSWER_BYTES} of an answer's body and drops them: a short body is read to its end (so
     * the connection can be used again), a longer one ends the read and closes the connection.
     */
    private static final class AnswerStart implements HttpResponse.BodySubscriber<Void> {
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private long read;

        @Override
        public CompletionStage<Void> getBody() {
            return done;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                read += buffer.remaining();
            }
            if (read > MAX_ANSWER_BYTES) {
                subscription.cancel();
                done.complete(null);
            }
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }
    }

    private static void record(KeycloakSession session, Attempt attempt, Outcome outcome) {
        WebhookMessageEntity message = Jpa.em(session).find(WebhookMessageEntity.class, attempt.id());
        if (message == null || message.leaseUntil == null || message.leaseUntil != attempt.leaseUntil()) {
            // Deleted, or the lease ran out and the message is another attempt's now: that one's outcome counts.
            return;
        }
        WebhookEndpointEntity endpoint = Jpa.em(session).find(WebhookEndpointEntity.class, message.endpointId);
        long now = Times.now();
        message.attempts++;
        message.lastAttemptAt = now;
        message.lastStatus = outcome.status() == 0 ? null : outcome.status();
        message.lastError = outcome.error();
        message.lastLatencyMillis = outcome.latencyMillis();
        message.leaseUntil = null;
        if (outcome.status() >= 200 && outcome.status() < 300) {
            message.status = WebhookMessageStatus.DELIVERED;
            message.deliveredAt = now;
            message.nextAttemptAt = null;
            if (endpoint != null) {
                endpoint.failingSince = null;
            }
            EnsyncMetrics.webhookAttempt("delivered");
            return;
        }
        if (outcome.status() == 410) {
            message.status = WebhookMessageStatus.FAILED;
            message.nextAttemptAt = null;
            disable(session, endpoint, "gone", now);
            EnsyncMetrics.webhookAttempt("gone");
            return;
        }
        long delay = RetrySchedule.delayAfter(message.attempts);
        EnsyncMetrics.webhookAttempt(delay < 0 ? "failed" : "retry");
        if (delay < 0) {
            message.status = WebhookMessageStatus.FAILED;
            message.nextAttemptAt = null;
        } else {
            message.nextAttemptAt = now + delay;
        }
        if (endpoint != null) {
            if (endpoint.failingSince == null) {
                endpoint.failingSince = now;
            } else if (now - endpoint.failingSince >= RetrySchedule.DISABLE_AFTER_MILLIS) {
                disable(session, endpoint, "failing", now);
            }
        }
    }

    /** The server disables an endpoint (410, or 5 days of failures) and tells the admins with an admin event. */
    private static void disable(KeycloakSession session, WebhookEndpointEntity endpoint, String reason, long now) {
        if (endpoint == null || !endpoint.enabled) {
            return;
        }
        endpoint.enabled = false;
        endpoint.disabledReason = reason;
        endpoint.disabledAt = now;
        endpoint.updatedAt = now;
        RealmModel realm = session.realms().getRealm(endpoint.realmId);
        if (realm == null) {
            return;
        }
        session.getContext().setRealm(realm);
        try {
            new Audit(session, realm).record(new Actor.Server(), AuditResource.ENSYNC_WEBHOOK, OperationType.ACTION,
                    Map.of("action", "disabled", "reason", reason, "url", endpoint.url),
                    "integrations", endpoint.integrationId, "webhooks", endpoint.id);
        } catch (RuntimeException e) {
            // The endpoint is disabled all the same (its flag shows in the API and console); only the event is lost.
            LOG.warnf(e, "Webhook endpoint %s: the admin event of its disabling could not be recorded", endpoint.id);
        }
        LOG.warnf("Webhook endpoint %s of integration %s disabled (%s)", endpoint.id, endpoint.integrationId, reason);
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
