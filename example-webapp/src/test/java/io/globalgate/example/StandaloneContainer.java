package io.globalgate.example;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 * A servlet container from its distribution (unpacked by the build into {@code target/containers}),
 * run as its own process with an instance folder of its own under {@code target/instances}: what
 * the standalone Tomcats and the standalone Jetty share. HTTP on 127.0.0.1 and an ephemeral port,
 * read from the container's log; stopped by SIGTERM (the container's shutdown hook stops the
 * applications gracefully). The users and roles below are in the container's own realm.
 */
abstract class StandaloneContainer implements AutoCloseable {

    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin-password-1";
    static final String VIEWER = "viewer";
    static final String VIEWER_PASSWORD = "viewer-password-1";
    static final String METRICS = "prometheus";
    static final String METRICS_PASSWORD = "metrics-password-1";

    private final String name;
    private final Path log;
    private final Pattern port;
    private final String startedMarker;
    private Process process;
    private URI uri;
    private int starts;

    /**
     * @param name          e.g. "Tomcat 10.1.59", for messages
     * @param instance      the instance folder; the console goes to {@code logs/console.log} in it
     * @param port          the port the container's log names when it listens, as group 1
     * @param startedMarker the line the container logs when it has started and deployed the applications
     */
    StandaloneContainer(String name, Path instance, Pattern port, String startedMarker) {
        this.name = name;
        this.log = instance.resolve("logs/console.log");
        this.port = port;
        this.startedMarker = startedMarker;
    }

    /** The command and environment that start the container in the foreground. */
    abstract ProcessBuilder command();

    /** Starts the process and waits until it listens and the applications are deployed. */
    final void start() throws IOException, InterruptedException {
        starts++;
        Files.createDirectories(log.getParent());
        Files.writeString(log, "\n==== start " + starts + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder builder = command().redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().remove("JAVA_OPTS");
        process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            String text = logSinceLastStart();
            Matcher listening = port.matcher(text);
            if (text.contains(startedMarker) && listening.find()) {
                uri = URI.create("http://127.0.0.1:" + listening.group(1) + "/");
                return;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not start:\n" + text);
            }
            Thread.sleep(250);
        }
    }

    /** SIGTERM: the container's shutdown hook stops the applications gracefully. */
    final void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    final String name() {
        return name;
    }

    final URI uri() {
        return uri;
    }

    /** The process id of the running container (for {@code jcmd}). */
    final long pid() {
        return process.pid();
    }

    /** Everything the container wrote to its console (its own lines and the applications'). */
    final String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    final String logSinceLastStart() throws IOException {
        String all = log();
        int at = all.lastIndexOf("==== start " + starts);
        return at < 0 ? all : all.substring(at);
    }

    @Override
    public final void close() throws InterruptedException {
        stop();
    }

    /** The instance folder under {@code target/instances}, emptied. */
    static Path freshInstance(String folder) throws IOException {
        Path instance = containers().getParent().resolve("instances").resolve(folder);
        delete(instance);
        Files.createDirectories(instance);
        return instance;
    }

    static Path containers() {
        return Path.of(System.getProperty("containers.dir"));
    }

    /** The MariaDB driver the build copied, into the container's {@code lib/} (or {@code lib/ext}). */
    static void copyDriverInto(Path lib) throws IOException {
        Files.createDirectories(lib);
        try (Stream<Path> drivers = Files.list(containers().resolve("driver"))) {
            for (Path jar : drivers.toList()) {
                Files.copy(jar, lib.resolve(jar.getFileName()));
            }
        }
    }

    /**
     * The example WAR as {@code legacy.war} in the deployment folder, and its FORM variant beside
     * it as {@code legacy-form/} (the WAR unpacked, its {@code web.xml} replaced).
     */
    static void deployExample(Path webapps) throws IOException {
        Files.createDirectories(webapps);
        Path war = Path.of(System.getProperty("example.war"));
        Files.copy(war, webapps.resolve("legacy.war"));
        Path form = webapps.resolve("legacy-form");
        unzip(war, form);
        Files.copy(Path.of(System.getProperty("example.formWebXml")), form.resolve("WEB-INF/web.xml"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Runs a JDK tool (e.g. {@code jcmd}) of the JDK running the tests, and returns its output. */
    static String jdkTool(String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", tool).toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(tool + " " + String.join(" ", args) + " failed:\n" + out);
        }
        return out;
    }

    static void unzip(Path zip, Path target) throws IOException {
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
