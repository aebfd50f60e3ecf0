package io.ensync.keycloak.it.support;

import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real Keycloak distribution with our provider jar, started once per test JVM (see {@link KeycloakExtension}).
 * <p>
 * Configured by the system properties failsafe sets (pom.xml): {@code ensync.it.keycloakHome} (unpacked
 * distribution), {@code ensync.it.providerJar} (the jar under test) and {@code ensync.it.db}
 * ({@code dev-file} or {@code postgres}). Every run starts on an empty database; {@link #restart()} keeps it.
 * The same options start every supported Keycloak (26.4 to 26.7; pom.xml's compatibility matrix).
 */
public final class KeycloakServer implements ExtensionContext.Store.CloseableResource {

    /**
     * Ports of the server under test, chosen once per test JVM: -Densync.it.httpPort=… and -Densync.it.managementPort=…
     * when given, else free ones (FreePorts), so that two checkouts, or a server already running, never collide.
     */
    public static final int HTTP_PORT = FreePorts.orFree("ensync.it.httpPort");
    public static final int MANAGEMENT_PORT = FreePorts.orFree("ensync.it.managementPort");
    /** Whether the ports were given: cluster nodes then sit beside them, else they get free ports too. */
    static final boolean PORTS_GIVEN = Integer.getInteger("ensync.it.httpPort") != null
            && Integer.getInteger("ensync.it.managementPort") != null;
    public static final String ADMIN_USERNAME = "admin";
    /** The one address whose X-Forwarded-* headers Keycloak believes. */
    public static final String TRUSTED_PROXY = "127.0.0.1";
    public static final String ADMIN_PASSWORD = "admin";

    static final String PG_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    static final String PG_DATABASE = System.getProperty("ensync.it.pgDatabase", "ensync_it");
    /** Extra kc.sh options and heap settings, for the benchmark's sizing (bin/benchmark.sh); the tests use neither. */
    static final String EXTRA_OPTIONS = System.getProperty("ensync.it.serverOptions", "").trim();
    static final String HEAP = System.getProperty("ensync.it.heap", "").trim();
    /**
     * The production build ({@code kc.sh build}, then {@code start --optimized}, a cluster of one on PostgreSQL, as
     * docker/Dockerfile runs it) instead of {@code start-dev}: the benchmark's second pass; the tests use start-dev.
     */
    public static final boolean OPTIMIZED = Boolean.getBoolean("ensync.it.optimized");
    /** Starts on the database as a previous run left it (-Densync.it.keepDatabase=true), to check that run's end state again. */
    static final boolean KEEP_DATABASE = Boolean.getBoolean("ensync.it.keepDatabase");
    static final String PG_USER = "postgres";
    static final String PG_PASSWORD = "postgres";

    /** 240 s; longer with -Densync.it.startTimeoutSeconds=… on a loaded machine (a long fuzzer or model run). */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(Long.getLong("ensync.it.startTimeoutSeconds", 240));
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    private static final int LOG_TAIL_LINES = 80;

    private static volatile KeycloakServer current;

    private final Path home;
    private volatile Path providerJar;
    private final String db;
    private final Path logFile;
    private final HttpClient probe = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile Process process;
    private final Thread shutdownHook = new Thread(() -> terminate(process), "keycloak-it-shutdown");
    private int starts;
    private boolean secretRotation = true;
    private Map<String, String> webhookOptions = DEFAULT_WEBHOOK_OPTIONS;

    /**
     * The options of the SPI {@code ensync-webhooks} (provider {@code default}) the tests run with: WebhookIT's receiver
     * listens on 127.0.0.1, so webhooks may reach loopback (off in production).
     */
    public static final Map<String, String> DEFAULT_WEBHOOK_OPTIONS = Map.of("allow-private-targets", "true");

    private KeycloakServer(Path home, Path providerJar, String db, Path logFile) {
        this.home = home;
        this.providerJar = providerJar;
        this.db = db;
        this.logFile = logFile;
    }

    /** The server of this test run; started by {@link KeycloakExtension}. */
    public static KeycloakServer get() {
        KeycloakServer server = current;
        if (server == null) {
            throw new IllegalStateException("Keycloak is not running: annotate the test class with "
                    + "@ExtendWith(KeycloakExtension.class)");
        }
        return server;
    }

    /** Reads the failsafe system properties, resets the database, installs the jar and starts Keycloak. */
    public static synchronized KeycloakServer launch() {
        if (current != null) {
            return current;
        }
        String db = requiredProperty("ensync.it.db");
        if (!db.equals("dev-file") && !db.equals("postgres")) {
            throw new IllegalStateException("ensync.it.db must be dev-file or postgres, not " + db);
        }
        Path home = Path.of(requiredProperty("ensync.it.keycloakHome")).toAbsolutePath();
        Path jar = Path.of(requiredProperty("ensync.it.providerJar")).toAbsolutePath();
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("No Keycloak distribution at " + home + " (bin/kc.sh missing)");
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Provider jar " + jar + " does not exist; run mvn verify, not failsafe alone");
        }
        // Failsafe runs with the project's base directory as working directory, so this is the build's target/.
        // The compatibility matrix's runs name their own log (ensync.it.logName), beside the main runs' logs.
        Path log = Path.of("target", System.getProperty("ensync.it.logName", "keycloak-" + db) + ".log").toAbsolutePath();

        KeycloakServer server = new KeycloakServer(home, jar, db, log);
        server.installProvider();
        if (!KEEP_DATABASE) {
            server.resetDatabase();
        }
        // Registered before starting so that even a start that hangs and is aborted leaves nothing running.
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        try {
            server.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        current = server;
        return server;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + HTTP_PORT;
    }

    /** Health and metrics live on the management interface. */
    public String managementUrl() {
        return "http://127.0.0.1:" + MANAGEMENT_PORT;
    }

    /** {@code dev-file} or {@code postgres}. */
    public String db() {
        return db;
    }

    public Path home() {
        return home;
    }

    /** Keycloak's stdout and stderr, appended across starts. */
    public Path logFile() {
        return logFile;
    }

    /** How many times this server has been started; lets caches (admin token) notice a restart. */
    public synchronized int starts() {
        return starts;
    }

    /** Stops and starts again on the same database, for tests that data survives a restart. */
    public synchronized void restart() {
        stop();
        start();
    }

    /**
     * Restarts on the same database with Keycloak's preview feature client-secret-rotation on or off (a stock
     * Keycloak has it off); {@link #restart()} keeps the last choice. Tests that turn it off turn it on again.
     */
    public synchronized void restartWithSecretRotation(boolean enabled) {
        secretRotation = enabled;
        restart();
    }

    /**
     * Restarts on the same database with these {@code ensync-webhooks} SPI options in place of
     * {@link #DEFAULT_WEBHOOK_OPTIONS} (an empty map: the production defaults, private targets refused);
     * {@link #restart()} keeps the last choice. Tests that change them restore the defaults afterwards.
     */
    public synchronized void restartWithWebhookOptions(Map<String, String> options) {
        webhookOptions = Map.copyOf(options);
        restart();
    }

    /**
     * An upgrade of the extension: stops, replaces the installed jar with {@code jar} and starts again on the same
     * database (UpgradeIT; the run starts with the jar of an earlier release as {@code ensync.it.providerJar}).
     */
    public synchronized void upgradeProvider(Path jar) {
        stop();
        providerJar = jar.toAbsolutePath();
        installProvider();
        appendToLog("[it] " + Instant.now() + " provider replaced by " + providerJar);
        start();
    }

    /** {@code kill -9}: the server dies mid-request, with no shutdown of its own; then it starts again on the same data. */
    public synchronized void crashAndRestart() throws InterruptedException {
        crash();
        start();
    }

    /**
     * {@code kill -9} alone, for a test that changes something between the kill and the next start; {@link #restart()}
     * starts it again on the same data.
     */
    public synchronized void crash() throws InterruptedException {
        Process running = process;
        process = null;
        if (running != null) {
            // kc.sh runs the JVM as its child: SIGKILL the JVM itself, then the script.
            for (ProcessHandle jvm : running.descendants().toList()) {
                jvm.destroyForcibly();
                jvm.onExit().join();
            }
            running.destroyForcibly().waitFor();
        }
        appendToLog("[it] " + Instant.now() + " killed (SIGKILL)");
    }

    /** Sends SIGTERM (kc.sh forwards it to the JVM) and waits; kills what is left after {@link #STOP_TIMEOUT}. */
    public synchronized void stop() {
        Process running = process;
        process = null;
        terminate(running);
    }

    /**
     * Lock-free on purpose: the shutdown hook calls it while the main thread may hold the lock, waiting in
     * {@link #awaitReady()} for a start the user just aborted.
     */
    private void terminate(Process running) {
        if (running == null || !running.isAlive()) {
            return;
        }
        // Remember the JVM kc.sh started: it must not outlive kc.sh if the graceful path fails.
        List<ProcessHandle> children = running.descendants().toList();
        running.destroy();
        try {
            if (!running.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                appendToLog("[it] Keycloak did not stop within " + STOP_TIMEOUT.toSeconds() + " s; killing it");
                running.destroyForcibly();
                running.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                if (child.isAlive()) {
                    child.destroyForcibly();
                    child.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop Keycloak", e);
        }
    }

    /** Called by JUnit when the root extension context closes, i.e. after the last test class. */
    @Override
    public synchronized void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to; nothing left to do.
        }
        if (current == this) {
            current = null;
        }
    }

    /** The last lines of the log, for failure messages. */
    public String logTail() {
        try {
            if (!Files.exists(logFile)) {
                return "(no log at " + logFile + ")";
            }
            // Decoding leniently: a torn multi-byte character at the end must not hide the rest.
            String[] lines = new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).split("\n");
            return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - LOG_TAIL_LINES), lines.length));
        } catch (IOException e) {
            return "(could not read " + logFile + ": " + e + ")";
        }
    }

    private synchronized void start() {
        if (process != null) {
            throw new IllegalStateException("Keycloak is already running");
        }
        // A Keycloak left over from an aborted run would answer our readiness probe and the tests.
        for (int port : new int[] {HTTP_PORT, MANAGEMENT_PORT}) {
            if (portInUse(port)) {
                throw new IllegalStateException("Port " + port + " is already in use; is another Keycloak running?");
            }
        }
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString()));
        if (OPTIMIZED) {
            build();
            command.addAll(List.of("start", "--optimized", "--http-enabled=true", "--hostname-strict=false"));
        } else {
            command.add("start-dev");
        }
        command.addAll(List.of(
                "--http-port=" + HTTP_PORT,
                "--http-management-port=" + MANAGEMENT_PORT,
                "--health-enabled=true",
                "--metrics-enabled=true",
                // Lets a test present a request as https (X-Forwarded-Proto), for the portal's https cookie rules. Only
                // 127.0.0.1 is a trusted proxy: ThrottleIT's other loopback address forwards headers that must not count.
                "--proxy-headers=xforwarded",
                "--proxy-trusted-addresses=" + TRUSTED_PROXY));
        new TreeMap<>(webhookOptions).forEach((name, value) -> command.add("--spi-ensync-webhooks--default--" + name + "=" + value));
        if (!OPTIMIZED) {
            command.addAll(buildOptions());
        }
        command.addAll(dbOptions());
        if (!EXTRA_OPTIONS.isEmpty()) {
            command.addAll(List.of(EXTRA_OPTIONS.split("\\s+")));
        }
        appendToLog("[it] " + Instant.now() + " starting: " + String.join(" ", command));

        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // A developer's own KC_* settings (KC_DB, KC_HOSTNAME, ...) would change what is under test.
        builder.environment().keySet().removeIf(name -> name.startsWith("KC_"));
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USERNAME);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        if (!HEAP.isEmpty()) {
            builder.environment().put("JAVA_OPTS_KC_HEAP", HEAP);
        }
        if (OPTIMIZED) {
            // A cluster of one, as the production image runs: JGroups on loopback, on a port no other run holds.
            builder.environment().put("JAVA_OPTS_APPEND", "-Djgroups.bind.address=127.0.0.1 -Djgroups.bind.port=" + FreePorts.freeWithNeighbour(100));
        }
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + command.get(0), e);
        }
        starts++;
        awaitReady();
    }

    /**
     * The build-time options: given to {@code kc.sh build} for the production build, else to {@code start-dev}
     * (which builds on every start). The production build's are docker/Dockerfile's.
     */
    private List<String> buildOptions() {
        return buildOptions(db, secretRotation, OPTIMIZED);
    }

    /** The build options for {@code db}, with the secret-rotation feature or not, for start-dev or a production build. */
    static List<String> buildOptions(String db, boolean secretRotation, boolean production) {
        List<String> options = new ArrayList<>(List.of("--db=" + db));
        if (secretRotation) {
            // Keycloak's rotated-secret mechanism (the grace period of a rotated partner secret) is this feature.
            options.add("--features=client-secret-rotation");
        }
        if (production) {
            options.addAll(List.of("--cache=ispn", "--health-enabled=true", "--metrics-enabled=true"));
        }
        return options;
    }

    /** {@code kc.sh build} with {@link #buildOptions()}: the distribution then starts {@code --optimized}. */
    private void build() {
        appendToLog("[it] " + Instant.now() + " building: kc.sh build " + String.join(" ", buildOptions()));
        try {
            KcBuild.run(home, buildOptions(), logFile, START_TIMEOUT);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "\n" + logTail(), e);
        }
    }

    private List<String> dbOptions() {
        if (db.equals("postgres")) {
            return List.of(
                    "--db-url=jdbc:postgresql://127.0.0.1:5432/" + PG_DATABASE,
                    "--db-username=" + PG_USER,
                    "--db-password=" + PG_PASSWORD);
        }
        return List.of();
    }

    /** Ready = health says UP and the master realm answers (the bootstrap admin exists by then). */
    private void awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (true) {
            if (!process.isAlive()) {
                int code = process.exitValue();
                process = null;
                throw new IllegalStateException("Keycloak exited with code " + code + " while starting; "
                        + logFile + " ends with:\n" + logTail());
            }
            if (answers200(managementUrl() + "/health/ready") && answers200(baseUrl() + "/realms/master")) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                stop();
                throw new IllegalStateException("Keycloak was not ready within " + START_TIMEOUT.toSeconds()
                        + " s; " + logFile + " ends with:\n" + logTail());
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
            }
        }
    }

    private boolean answers200(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
            return probe.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean portInUse(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Replaces any earlier ensync jar in providers/ with the one under test. */
    private void installProvider() {
        Path providers = home.resolve("providers");
        try {
            Files.createDirectories(providers);
            try (DirectoryStream<Path> old = Files.newDirectoryStream(providers, "ensync*.jar")) {
                for (Path jar : old) {
                    Files.delete(jar);
                }
            }
            Files.copy(providerJar, providers.resolve(providerJar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not install " + providerJar + " into " + providers, e);
        }
    }

    /** Every run starts from an empty store, so tests never see a previous run's data. */
    private void resetDatabase() {
        if (db.equals("dev-file")) {
            deleteRecursively(home.resolve("data/h2"));
            return;
        }
        try (Connection connection = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, PG_PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + PG_DATABASE + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + PG_DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not recreate database " + PG_DATABASE + " via " + PG_ADMIN_URL
                    + "; is PostgreSQL running with trust auth for user " + PG_USER + "?", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + dir, e);
        }
    }

    private void appendToLog(String line) {
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + logFile, e);
        }
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + name + " is not set; the integration tests run "
                    + "through failsafe (mvn verify), which sets it from pom.xml");
        }
        return value;
    }
}
