package io.globalgate.gateway;

import io.globalgate.config.Option;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distribution as a user installs it (run by failsafe after {@code package}): the archive
 * unpacked into an empty folder, the gateway started by {@code bin/globalgate} as its own process
 * with the bundled configuration file, the README's quick start run against it, stopped by
 * {@code SIGTERM}, started again with its data kept.
 */
class DistributionIT {

    private static final Pattern UP = Pattern.compile("Globalgate gateway is up at (http://\\S+)");
    private static final Pattern PASSWORD = Pattern.compile("Sign in as 'admin' with the generated password: (\\S+)");
    private static final String JAVA_OPTS = "-Xmx256m -Dglobalgate.started.by=DistributionIT";

    @TempDir
    Path folder;

    private final List<Process> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static Path archive() {
        return Path.of(System.getProperty("globalgate.distribution", "target/globalgate-gateway-0.1.0-SNAPSHOT.tar.gz"));
    }

    private static String version() {
        String name = archive().getFileName().toString();
        return name.substring("globalgate-gateway-".length(), name.length() - ".tar.gz".length());
    }

    @AfterEach
    void stopWhateverIsLeft() {
        started.stream().filter(Process::isAlive).forEach(Process::destroyForcibly);
    }

    /** Unpacks the archive with tar into the empty folder; returns the distribution's home. */
    private Path unpack() throws Exception {
        try (Stream<Path> before = Files.list(folder)) {
            assertEquals(0, before.count(), "an empty folder");
        }
        Process tar = new ProcessBuilder("tar", "-xzf", archive().toAbsolutePath().toString(), "-C", folder.toString())
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(tar.waitFor(60, TimeUnit.SECONDS) && tar.exitValue() == 0, "tar -xzf: " + output);
        Path home = folder.resolve("globalgate-gateway-" + version());
        try (Stream<Path> after = Files.list(folder)) {
            assertEquals(List.of(home), after.toList(), "one directory, named after the version");
        }
        return home;
    }

    @Test
    void theArchiveHoldsTheScriptTheLibrariesTheConfigurationTheReadmeTheLicencesAndTheUnit() throws Exception {
        Path home = unpack();
        Path script = home.resolve("bin/globalgate");
        assertTrue(Files.getPosixFilePermissions(script).containsAll(
                List.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE)));
        assertTrue(Files.readString(script).startsWith("#!/bin/sh\n"), "a POSIX sh script");
        assertTrue(Files.isRegularFile(home.resolve("lib/globalgate-gateway.jar")));
        for (String jar : List.of("globalgate-filter-", "globalgate-admin-", "jetty-server-", "h2-", "mariadb-java-client-", "slf4j-simple-")) {
            try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
                assertTrue(lib.anyMatch(p -> p.getFileName().toString().startsWith(jar)), jar + "*.jar in lib/");
            }
        }
        assertEquals(ConfigFile.template(GatewayConfig.OPTIONS, GatewayConfig.CONFIG), Files.readString(home.resolve("conf/globalgate.conf")),
                "conf/globalgate.conf is the template of the option schema this build has");
        assertEquals(Files.readString(Path.of(System.getProperty("basedir", "."), "..", "LICENSE")), Files.readString(home.resolve("LICENSE")));
        assertEquals(Files.readString(Path.of(System.getProperty("basedir", "."), "..", "NOTICE")), Files.readString(home.resolve("NOTICE")));
        assertEquals(ReadmeQuickStartIT.quickStartBlock(Files.readString(projectReadme())),
                ReadmeQuickStartIT.quickStartBlock(Files.readString(home.resolve("README"))),
                "the archive's README carries the project README's quick start, unchanged");
        String unit = Files.readString(home.resolve("systemd/globalgate.service"));
        for (String line : List.of("User=globalgate", "StateDirectory=globalgate", "Environment=GLOBALGATE_DATA_DIR=/var/lib/globalgate",
                "Environment=\"JAVA_OPTS=", "ExecStart=/opt/globalgate/bin/globalgate", "KillSignal=SIGTERM", "SuccessExitStatus=143")) {
            assertTrue(unit.lines().anyMatch(l -> l.startsWith(line)), line);
        }
    }

    @Test
    void theScriptFindsItsHomeThroughASymbolicLinkAndNamesAMissingJava() throws Exception {
        Path home = unpack();
        Path link = Files.createSymbolicLink(folder.resolve("globalgate"), home.resolve("bin/globalgate"));
        ProcessBuilder help = new ProcessBuilder(link.toString(), "--help").redirectErrorStream(true);
        help.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process shown = help.start();
        String output = new String(shown.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(shown.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, shown.exitValue(), output);
        assertTrue(output.startsWith("Usage: bin/globalgate [options]"), output);

        ProcessBuilder noJava = new ProcessBuilder(link.toString()).redirectErrorStream(true);
        noJava.environment().put("JAVA_HOME", folder.resolve("no-such-java").toString());
        Process refused = noJava.start();
        String message = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(refused.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, refused.exitValue(), message);
        assertEquals("globalgate: JAVA_HOME is " + folder.resolve("no-such-java") + ", but " + folder.resolve("no-such-java/bin/java")
                + " is not an executable\n", message);
    }

    @Test
    void theUnpackedGatewayRunsTheQuickStartStopsOnSigtermAndKeepsItsDataForTheNextStart() throws Exception {
        Path home = unpack();
        // Ephemeral ports through the bundled configuration file, the one bin/globalgate reads by default.
        StringBuilder lines = new StringBuilder("\n# DistributionIT: any free port\n");
        for (Option<?> option : GatewayConfig.OPTIONS) {
            if (option.name().equals("port") || option.name().equals("managementPort")) {
                lines.append(ConfigFile.key(option)).append(" = 0\n");
            }
        }
        Files.writeString(home.resolve("conf/globalgate.conf"), lines.toString(), java.nio.file.StandardOpenOption.APPEND);

        Running first = start(home);
        assertTrue(first.process.toHandle().info().command().orElse("").endsWith("/java"),
                "bin/globalgate replaced itself with the JVM: " + first.process.toHandle().info());
        String arguments = String.join(" ", first.process.toHandle().info().arguments().orElse(new String[0]));
        assertTrue(arguments.contains(JAVA_OPTS), "JAVA_OPTS reach the JVM: " + arguments);
        String password = first.await(PASSWORD);

        Path script = folder.resolve("quickstart.sh");
        Files.writeString(script, ReadmeQuickStartIT.quickStartBlock(Files.readString(home.resolve("README"))));
        ProcessBuilder run = new ProcessBuilder("bash", "-euo", "pipefail", script.toString());
        run.environment().put("GG", first.base);
        run.environment().put("PASSWORD", password);
        run.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process quickStart = run.start();
        quickStart.getOutputStream().close();
        String output = new String(quickStart.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(quickStart.waitFor(60, TimeUnit.SECONDS), "the quick start script did not finish");
        assertEquals(0, quickStart.exitValue(), "the quick start script failed; its output: " + output);
        assertEquals("200\n401\n", output);

        // A second token, left active, to find working after the restart.
        String integration = field(post(first.base, password, "/admin/api/v1/integrations",
                "{\"name\":\"Kept\",\"notificationEmail\":\"ops@example.com\"}"), "\"id\":(\\d+)");
        String answer = post(first.base, password, "/admin/api/v1/integrations/" + integration + "/tokens",
                "{\"name\":\"kept\",\"expiration\":\"never\"}");
        String kept = field(answer, "\"token\":\"(gat_[0-9A-Za-z]{38})\"");
        String keptId = field(answer, "^\\{\"id\":(\\d+)");
        assertEquals(200, globalApi(first.base, kept));

        first.stopBySigterm();

        Running second = start(home);
        assertTrue(second.await(Pattern.compile("Sign in as 'admin' with the (password generated on the first start)")) != null);
        assertFalse(second.log.stream().anyMatch(line -> PASSWORD.matcher(line).find()), "no new password: the first one's hash was kept");
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(second.base + "/admin/api/v1/tokens/" + keptId))
                .header("Authorization", basic(password)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, token.statusCode(), token.body());
        assertTrue(token.body().matches(".*\"lastUsedAt\":\"20[^\"]+\".*"), "its use before the stop was written: " + token.body());
        assertEquals(200, globalApi(second.base, kept), "the token made before the stop still works");
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(second.base + "/admin/api/v1/integrations/" + integration))
                .header("Authorization", basic(password)).build(), HttpResponse.BodyHandlers.discarding()).statusCode(),
                "the integration is still there, and the first start's password still signs in");
        assertTrue(Files.isRegularFile(folder.resolve("globalgate-data/globalgate.mv.db")),
                "the data is in ./globalgate-data of the directory the gateway started in");
        second.stopBySigterm();
    }

    private Running start(Path home) throws IOException {
        ProcessBuilder start = new ProcessBuilder(home.resolve("bin/globalgate").toString()).directory(folder.toFile())
                .redirectErrorStream(true);
        start.environment().keySet().removeIf(name -> name.startsWith("GLOBALGATE_"));
        start.environment().put("JAVA_HOME", System.getProperty("java.home"));
        start.environment().put("JAVA_OPTS", JAVA_OPTS);
        Process process = start.start();
        started.add(process);
        process.getOutputStream().close();
        Running running = new Running(process);
        running.base = running.await(UP);
        return running;
    }

    private String post(String base, String password, String path, String json) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", basic(password))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return response.body();
    }

    private int globalApi(String base, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/global/v1/system/status")).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String field(String json, String regex) {
        Matcher m = Pattern.compile(regex).matcher(json);
        assertTrue(m.find(), regex + " in " + json);
        return m.group(1);
    }

    private static Path projectReadme() {
        return Path.of(System.getProperty("globalgate.readme", "../README.md"));
    }

    /** One start of the gateway: its process and its log (stdout and stderr, as a service manager keeps them). */
    private static final class Running {
        final Process process;
        final List<String> log = new CopyOnWriteArrayList<>();
        final Thread reader;
        String base;

        Running(Process process) {
            this.process = process;
            this.reader = new Thread(this::read, "gateway-log-" + process.pid());
            reader.start();
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    log.add(line);
                    System.out.println("[gateway " + process.pid() + "] " + line);
                }
            } catch (IOException e) {
                // the stream closes with the process
            }
        }

        /** The first group of the first log line matching {@code pattern}, waiting for it up to 2 minutes. */
        String await(Pattern pattern) {
            CompletableFuture<String> found = CompletableFuture.supplyAsync(() -> {
                for (int seen = 0; ; ) {
                    for (; seen < log.size(); seen++) {
                        Matcher m = pattern.matcher(log.get(seen));
                        if (m.find()) {
                            return m.group(1);
                        }
                    }
                    if (!process.isAlive() && !reader.isAlive() && seen >= log.size()) {
                        return null;
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                }
            });
            String value;
            try {
                value = found.get(120, TimeUnit.SECONDS);
            } catch (Exception e) {
                value = null;
            }
            if (value == null) {
                throw new AssertionError("no log line matching " + pattern + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")")
                        + ":\n" + String.join("\n", log));
            }
            return value;
        }

        /**
         * SIGTERM, as systemd stops it. A clean stop: the JVM's exit code for SIGTERM, 143, once its
         * graceful stop has run, and nothing logged as an error or warning (usage left unwritten is
         * a warning); the next start finds the usage written.
         */
        void stopBySigterm() throws InterruptedException {
            // Through the ProcessHandle: Process.destroy() would also close our end of its output.
            assertTrue(process.toHandle().destroy(), "SIGTERM sent");
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the gateway did not stop within 60 s of SIGTERM");
            reader.join(10_000);
            assertEquals(143, process.exitValue(), () -> "exit code after SIGTERM:\n" + String.join("\n", log));
            assertFalse(log.stream().anyMatch(line -> line.contains("Exception") || line.contains(" ERROR ") || line.contains(" WARN ")),
                    () -> "no error, warning or stack trace:\n" + String.join("\n", log));
        }
    }
}
