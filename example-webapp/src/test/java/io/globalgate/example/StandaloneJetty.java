package io.globalgate.example;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A standalone Jetty 12 from the {@code jetty-home} archive, with a {@code jetty.base} of its own
 * made as the README says: {@code start.jar --add-modules=} the modules the example needs, the
 * MariaDB driver in {@code lib/ext}, the database settings in {@code start.d/globalgate.ini},
 * users and roles in a {@code HashLoginService} realm (the module {@code globalgate-realm}), the
 * example WAR in {@code webapps/} (and its FORM variant beside it). Started as
 * {@code java -jar start.jar} in its own process, without forking a second JVM.
 */
final class StandaloneJetty extends StandaloneContainer {

    /** The modules the README tells a Jetty user to enable. */
    static final String MODULES = "http,ee10-deploy,ee10-plus,ext,globalgate-realm";

    private static final Pattern PORT = Pattern.compile("\\{127\\.0\\.0\\.1:(\\d+)}");
    private static final Pattern STARTED_LEGACY = Pattern.compile("oejes\\.ServletContextHandler:.*Started oeje10w\\.WebAppContext@\\w+\\{legacy,/legacy,");

    private final Path home;
    private final Path base;

    private StandaloneJetty(String version, Path home, Path base) {
        super("Jetty " + version, base, PORT, "Started oejs.Server@");
        this.home = home;
        this.base = base;
    }

    static StandaloneJetty prepare(String version, String jdbcUrl, String jdbcUser, String jdbcPassword)
            throws IOException, InterruptedException {
        Path home = containers().resolve("jetty-home-" + version);
        Path base = freshInstance("jetty-" + version);
        Path example = Path.of(System.getProperty("example.jettyBase"));
        for (String file : List.of("modules/globalgate-realm.mod", "etc/globalgate-realm.xml")) {
            Files.createDirectories(base.resolve(file).getParent());
            Files.copy(example.resolve(file), base.resolve(file));
        }
        Files.writeString(base.resolve("etc/globalgate-realm.properties"), """
                %s: %s,globalgate-admin
                %s: %s,viewer
                %s: %s,globalgate-metrics
                """.formatted(ADMIN, ADMIN_PASSWORD, VIEWER, VIEWER_PASSWORD, METRICS, METRICS_PASSWORD));
        Process add = new ProcessBuilder(java(), "-jar", home.resolve("start.jar").toString(), "jetty.home=" + home,
                "jetty.base=" + base, "--add-modules=" + MODULES)
                .directory(base.toFile()).redirectErrorStream(true).start();
        String out = new String(add.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!add.waitFor(2, TimeUnit.MINUTES) || add.exitValue() != 0) {
            throw new IllegalStateException("start.jar --add-modules failed:\n" + out);
        }
        Files.writeString(base.resolve("start.d/globalgate.ini"), """
                # Globalgate's database (the example's WEB-INF/jetty-ee10-env.xml refers to these)
                -Dglobalgate.jdbc.url=%s
                -Dglobalgate.jdbc.user=%s
                -Dglobalgate.jdbc.password=%s
                """.formatted(jdbcUrl, jdbcUser, jdbcPassword));
        copyDriverInto(base.resolve("lib/ext"));
        deployExample(base.resolve("webapps"));
        return new StandaloneJetty(version, home, base);
    }

    @Override
    ProcessBuilder command() {
        return new ProcessBuilder(java(), "-Xmx256m", "-XX:+UseSerialGC", "-jar", home.resolve("start.jar").toString(),
                "jetty.home=" + home, "jetty.base=" + base, "jetty.http.host=127.0.0.1", "jetty.http.port=0",
                "jetty.deploy.scanInterval=1")
                .directory(base.toFile());
    }

    /**
     * Redeploys {@code /legacy} as a user does, by replacing its WAR (a newer modification time):
     * Jetty's deployer, scanning {@code webapps/} every second, stops the old application and
     * starts a new one. Returns when the new one has started.
     */
    void redeployLegacy() throws IOException, InterruptedException {
        long started = STARTED_LEGACY.matcher(logSinceLastStart()).results().count();
        Path war = base.resolve("webapps/legacy.war");
        Files.setLastModifiedTime(war, FileTime.from(Instant.now()));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (STARTED_LEGACY.matcher(logSinceLastStart()).results().count() == started) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Jetty did not redeploy /legacy:\n" + logSinceLastStart());
            }
            Thread.sleep(250);
        }
    }

    /** How many web application class loaders the heap holds after a full collection. */
    long webAppClassLoaders() throws IOException, InterruptedException {
        // GC.class_histogram collects the heap first (it counts live objects only)
        String histogram = jdkTool("jcmd", Long.toString(pid()), "GC.class_histogram");
        return histogram.lines().filter(line -> line.endsWith(" org.eclipse.jetty.ee10.webapp.WebAppClassLoader"))
                .mapToLong(line -> Long.parseLong(line.trim().split("\\s+")[1])).sum();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
