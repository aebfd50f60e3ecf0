package io.ensync.keycloak.it.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code kc.sh build} of a distribution, run to its end: output appended to a log, the caller's KC_* settings unset. */
final class KcBuild {

    private KcBuild() {
    }

    static void run(Path home, List<String> options, Path logFile, Duration timeout) {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "build"));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // A developer's own KC_* settings (KC_DB, KC_CACHE, ...) would change what is built.
        builder.environment().keySet().removeIf(name -> name.startsWith("KC_"));
        try {
            Process build = builder.start();
            if (!build.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || build.exitValue() != 0) {
                build.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed; see " + logFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
