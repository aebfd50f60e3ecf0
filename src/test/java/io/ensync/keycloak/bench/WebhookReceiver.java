package io.ensync.keycloak.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.ensync.keycloak.it.support.Http;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The integrator's webhook receiver of the benchmark (P6), in this JVM: answers 204 at once (or holds every request
 * until released, so that nothing is delivered while the request path is measured) and records, per
 * delivered {@code partner.created}, the time from the partner endpoint's answer (the commit, as the caller sees it)
 * to the delivery (0 when it came before the 201 reached the caller). Each message id is counted once, so a
 * redelivery shows as a duplicate, not as throughput.
 */
final class WebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    /** partner id → nanoTime of the partner endpoint's 201. */
    private final Map<String, Long> answered = new HashMap<>();
    /** partner id → when its messages came, for those that came before the driver saw the 201. */
    private final Map<String, List<Long>> early = new HashMap<>();
    private final Set<String> messageIds = ConcurrentHashMap.newKeySet();
    private final Histogram commitToDelivery = new ConcurrentHistogram(3_600_000_000L, 3);
    private volatile long firstDelivery;
    private volatile long lastDelivery;
    private volatile int duplicates;
    private final CountDownLatch held;
    /** Its own threads, ended by {@link #close}: left running, they kept the benchmark's JVM (and Maven) from exiting. */
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    /** A receiver that answers at once, or — {@code holding} — holds every request until {@link #release}. */
    WebhookReceiver(boolean holding) throws IOException {
        held = new CountDownLatch(holding ? 1 : 0);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(pool);
        server.createContext("/hook", exchange -> {
            JsonNode body;
            try (InputStream in = exchange.getRequestBody()) {
                body = Http.JSON.readTree(in);
            }
            if (held.getCount() > 0) {
                // Held: the sender waits (its 10 s timeout at most), then learns of a failure and tries again later.
                // Requests still queued for a thread at the release are read after it and count as delivered, though
                // their senders may have given up: those come again, the held phase's duplicates.
                try {
                    held.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            long now = System.nanoTime();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            if (!messageIds.add(id)) {
                duplicates++;
            } else {
                delivered(body.path("data").path("partnerId").asText(), now);
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** From now on every request is answered at once; those held so far get a 503 (and come again). */
    void release() {
        held.countDown();
    }

    /** The partner endpoint answered 201 for this partner now. */
    synchronized void answered(String partnerId) {
        long now = System.nanoTime();
        answered.put(partnerId, now);
        List<Long> before = early.remove(partnerId);
        if (before != null) {
            // Delivered before the 201 reached the caller (the worker is nudged at the commit): no wait at all.
            before.forEach(at -> count(at, 0));
        }
    }

    private synchronized void delivered(String partnerId, long now) {
        Long at = answered.get(partnerId);
        if (at == null) {
            early.computeIfAbsent(partnerId, p -> new ArrayList<>()).add(now);
        } else {
            count(now, Math.max(0, now - at));
        }
    }

    private void count(long deliveredAt, long waitedNanos) {
        commitToDelivery.recordValue(waitedNanos / 1000);
        firstDelivery = firstDelivery == 0 ? deliveredAt : Math.min(firstDelivery, deliveredAt);
        lastDelivery = Math.max(lastDelivery, deliveredAt);
    }

    /** Waits until every answered partner's message reached each of {@code endpoints} endpoints, or the deadline. */
    boolean awaitAll(int endpoints, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (commitToDelivery.getTotalCount() >= expected(endpoints)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    long delivered() {
        return commitToDelivery.getTotalCount();
    }

    synchronized int expected(int endpoints) {
        return answered.size() * endpoints;
    }

    double perSecond() {
        return lastDelivery == firstDelivery ? 0 : (delivered() - 1) / ((lastDelivery - firstDelivery) / 1e9);
    }

    double p(double percentile) {
        return commitToDelivery.getValueAtPercentile(percentile) / 1000.0;
    }

    int duplicates() {
        return duplicates;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
