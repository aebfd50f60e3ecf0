package io.ensync.keycloak.it.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One node of a two-node Keycloak cluster on one PostgreSQL database, clustered by Keycloak's own means: the
 * distribution built for production ({@code --cache=ispn}), peers found through the database (jdbc-ping), JGroups on
 * loopback. Both nodes answer with the issuer of the first ({@code --hostname}), as behind one load balancer.
 */
public final class ClusterNode implements AutoCloseable {

    /** Beside the main server's database, so that a checkout on its own database (-Densync.it.pgDatabase=…) has its own. */
    public static final String DATABASE = KeycloakServer.PG_DATABASE + "_cluster";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(300);

    private final Path home;
    private final int index;
    private final int httpPort;
    private final int managementPort;
    private final int jgroupsPort;
    private final Path log;
    private Process process;

    private ClusterNode(Path home, int index) {
        this.home = home;
        this.index = index;
        // With the main server's ports given (-Densync.it.httpPort=…), beside them (+100, +200), so that a checkout on
        // its own ports has its own nodes' ports too; else free ones, as the main server's.
        this.httpPort = KeycloakServer.PORTS_GIVEN ? KeycloakServer.HTTP_PORT + 100 * (index + 1) : FreePorts.free();
        this.managementPort = KeycloakServer.PORTS_GIVEN ? KeycloakServer.MANAGEMENT_PORT + 100 * (index + 1) : FreePorts.free();
        this.log = home.getParent().resolve("node" + index + ".log");
        // Given ports: derived from the HTTP port (7800/7801 for 18080), so that two checkouts' clusters do not share
        // one; else a free one whose failure-detection port (100 above) is free too. The nodes find each other through
        // the database (JDBC_PING), not through known ports.
        this.jgroupsPort = KeycloakServer.PORTS_GIVEN ? 7000 + KeycloakServer.HTTP_PORT % 10_000 / 100 * 10 + index
                : FreePorts.freeWithNeighbour(100);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public Path log() {
        return log;
    }

    /** Two built distributions (one built, then copied) and a fresh database; nothing started yet. */
    public static List<ClusterNode> prepare(Path distribution, Path providerJar, Path workDir) throws Exception {
        recreateDatabase();
        deleteTree(workDir);
        Path first = workDir.resolve("node0");
        copyTree(distribution, first);
        Files.copy(providerJar, first.resolve("providers").resolve(providerJar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        KcBuild.run(first, KeycloakServer.buildOptions("postgres", true, true), workDir.resolve("build.log"), Duration.ofSeconds(300));
        Path second = workDir.resolve("node1");
        copyTree(first, second);
        return List.of(new ClusterNode(first, 0), new ClusterNode(second, 1));
    }

    public void start(String hostname) throws IOException {
        List<String> command = List.of(home.resolve("bin/kc.sh").toString(), "start", "--optimized",
                "--http-enabled=true", "--hostname=" + hostname, "--hostname-strict=false",
                "--http-port=" + httpPort, "--http-management-port=" + managementPort,
                // the cache stack is Keycloak's default, jdbc-ping: peers find each other through this database
                "--db-url=jdbc:postgresql://127.0.0.1:5432/" + DATABASE, "--db-username=postgres", "--db-password=postgres",
                // ClusterIT's webhook receiver listens on 127.0.0.1, as WebhookIT's does (off in production); both
                // nodes scan for expiring secrets every second, so that ClusterIT sees them race.
                "--spi-ensync-webhooks--default--allow-private-targets=true",
                "--spi-ensync-webhooks--default--secret-expiry-scan-interval-seconds=1");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().keySet().removeIf(name -> name.startsWith("KC_"));
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", KeycloakServer.ADMIN_USERNAME);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", KeycloakServer.ADMIN_PASSWORD);
        builder.environment().put("JAVA_OPTS_APPEND", "-Djgroups.bind.address=127.0.0.1 -Djgroups.bind.port=" + jgroupsPort);
        process = builder.start();
    }

    /** Waits until health says UP. */
    public void awaitReady() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("cluster node " + index + " exited; see " + log);
            }
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("cluster node " + index + " not ready in " + START_TIMEOUT + "; see " + log);
    }

    /** Waits until this node's log shows a cluster view of {@code members} members. */
    public void awaitClusterView(int members) throws Exception {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.contains("ISPN000094") && line.contains("(" + members + ")")) {
                    return;
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("no cluster view of " + members + " in " + log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static void recreateDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(KeycloakServer.PG_ADMIN_URL, KeycloakServer.PG_USER, KeycloakServer.PG_PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DATABASE);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
