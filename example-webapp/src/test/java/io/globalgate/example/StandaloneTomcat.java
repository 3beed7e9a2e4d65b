package io.globalgate.example;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A standalone Tomcat from its distribution archive (unpacked by the build into
 * {@code target/containers}), run as its own process with a {@code CATALINA_BASE} of its own: the
 * MariaDB driver in its {@code lib/}, users and roles in {@code conf/tomcat-users.xml}, the
 * database settings in {@code conf/catalina.properties}, the example WAR in {@code webapps/} (and
 * its FORM variant beside it), the manager application for reloads and its leak check. HTTP on
 * 127.0.0.1 and an ephemeral port, read from the log; no shutdown port (stopped by SIGTERM).
 */
final class StandaloneTomcat implements AutoCloseable {

    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin-password-1";
    static final String VIEWER = "viewer";
    static final String VIEWER_PASSWORD = "viewer-password-1";
    static final String METRICS = "prometheus";
    static final String METRICS_PASSWORD = "metrics-password-1";
    static final String MANAGER = "manager";
    static final String MANAGER_PASSWORD = "manager-password-1";

    private static final Pattern PORT = Pattern.compile("\"http-nio-127\\.0\\.0\\.1-auto-\\d+-(\\d+)\"");

    private final String version;
    private final Path home;
    private final Path base;
    private final Path log;
    private Process process;
    private URI uri;
    private int starts;

    private StandaloneTomcat(String version, Path home, Path base) {
        this.version = version;
        this.home = home;
        this.base = base;
        this.log = base.resolve("logs/console.log");
    }

    static StandaloneTomcat prepare(String version, String jdbcUrl, String jdbcUser, String jdbcPassword) throws IOException {
        Path containers = Path.of(System.getProperty("containers.dir"));
        Path home = containers.resolve("apache-tomcat-" + version);
        Path base = Path.of(System.getProperty("containers.dir")).getParent().resolve("instances/tomcat-" + version);
        delete(base);
        for (String dir : List.of("conf", "lib", "logs", "temp", "webapps", "work", "conf/Catalina/localhost")) {
            Files.createDirectories(base.resolve(dir));
        }
        try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
            for (Path file : conf.filter(Files::isRegularFile).toList()) {
                Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
            }
        }
        String server = Files.readString(base.resolve("conf/server.xml"));
        server = server.replaceFirst("<Server port=\"8005\"", "<Server port=\"-1\"")
                .replaceFirst("<Connector port=\"8080\"", "<Connector port=\"0\" address=\"127.0.0.1\"");
        Files.writeString(base.resolve("conf/server.xml"), server);
        Files.writeString(base.resolve("conf/tomcat-users.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <tomcat-users xmlns="http://tomcat.apache.org/xml" version="1.0">
                  <role rolename="globalgate-admin"/>
                  <role rolename="globalgate-metrics"/>
                  <role rolename="manager-script"/>
                  <user username="%s" password="%s" roles="globalgate-admin"/>
                  <user username="%s" password="%s" roles="viewer"/>
                  <user username="%s" password="%s" roles="globalgate-metrics"/>
                  <user username="%s" password="%s" roles="manager-script"/>
                </tomcat-users>
                """.formatted(ADMIN, ADMIN_PASSWORD, VIEWER, VIEWER_PASSWORD, METRICS, METRICS_PASSWORD, MANAGER, MANAGER_PASSWORD));
        Files.writeString(base.resolve("conf/catalina.properties"), "\n# Globalgate's database (the example's context.xml refers to these)\n"
                + "globalgate.jdbc.url=" + jdbcUrl + "\nglobalgate.jdbc.user=" + jdbcUser + "\nglobalgate.jdbc.password=" + jdbcPassword + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        try (Stream<Path> drivers = Files.list(containers.resolve("driver"))) {
            for (Path jar : drivers.toList()) {
                Files.copy(jar, base.resolve("lib").resolve(jar.getFileName()));
            }
        }
        Files.writeString(base.resolve("conf/Catalina/localhost/manager.xml"),
                "<Context docBase=\"" + home.resolve("webapps/manager") + "\" privileged=\"true\"/>\n");
        Path war = Path.of(System.getProperty("example.war"));
        Files.copy(war, base.resolve("webapps/legacy.war"));
        Path form = base.resolve("webapps/legacy-form");
        unzip(war, form);
        Files.copy(Path.of(System.getProperty("example.formWebXml")), form.resolve("WEB-INF/web.xml"), StandardCopyOption.REPLACE_EXISTING);
        return new StandaloneTomcat(version, home, base);
    }

    String version() {
        return version;
    }

    /** Starts the process and waits until it listens and both applications are deployed. */
    void start() throws IOException, InterruptedException {
        starts++;
        Files.writeString(log, "\n==== start " + starts + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/catalina.sh").toString(), "run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("CATALINA_HOME", home.toString());
        builder.environment().put("CATALINA_BASE", base.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("CATALINA_OPTS", "-Xmx256m -XX:+UseSerialGC");
        builder.environment().remove("JAVA_OPTS");
        home.resolve("bin/catalina.sh").toFile().setExecutable(true);
        process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        String startedMarker = "Server startup in";
        while (true) {
            String text = logSinceLastStart();
            Matcher port = PORT.matcher(text);
            if (text.contains(startedMarker) && port.find()) {
                uri = URI.create("http://127.0.0.1:" + port.group(1) + "/");
                return;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("Tomcat " + version + " did not start:\n" + text);
            }
            Thread.sleep(250);
        }
    }

    /** SIGTERM: Tomcat's shutdown hook stops the applications gracefully. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    URI uri() {
        return uri;
    }

    /** Everything the container wrote (its console: Tomcat's own lines and the applications', through JULI). */
    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    String logSinceLastStart() throws IOException {
        String all = log();
        int at = all.lastIndexOf("==== start " + starts);
        return at < 0 ? all : all.substring(at);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static void unzip(Path zip, Path target) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy((InputStream) in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
