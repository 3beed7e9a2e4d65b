package io.globalgate.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 item 1: thousands of unauthenticated 190 KB form POSTs under {@code /admin/} against a
 * gateway in a JVM of its own with a 96 MB heap. Before the fix each created a session holding
 * the form (a 256 MB gateway died of {@code OutOfMemoryError} after 1,200); now none creates a
 * session, none is kept, and the gateway keeps answering.
 */
class UnauthenticatedFloodTest {

    private static final int REQUESTS = 2_000;
    private static final int FORM_BYTES = 190 * 1024;
    private static final long HEAP_AFTER_GC_MAX = 48L * 1024 * 1024;

    private Process gateway;
    private Path dataDir;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.destroy();
            if (!gateway.waitFor(20, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
        }
        RunningGateway.delete(dataDir);
    }

    @Test
    void formPostsWithoutASessionKeepNothingOnTheServer() throws Exception {
        dataDir = RunningGateway.newDataDir();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), GatewayMain.class.getName(),
                "--port", "0", "--management-port", "0", "--data-dir", dataDir.toString(),
                "--admin-password", "flood-test-password");
        builder.environment().keySet().removeIf(name -> name.startsWith("GLOBALGATE_"));
        builder.redirectErrorStream(true);
        gateway = builder.start();
        gateway.getOutputStream().close();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<URI[]> up = new CompletableFuture<>();
        Thread reader = new Thread(() -> read(log, up), "gateway-log");
        reader.setDaemon(true);
        reader.start();
        URI[] uris = up.get(90, TimeUnit.SECONDS);
        URI base = uris[0];
        URI management = uris[1];

        String form = "description=" + "a".repeat(FORM_BYTES - "description=".length());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        AtomicInteger answered = new AtomicInteger();
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < REQUESTS; i++) {
            String page = i % 2 == 0 ? "/admin/integrations" : "/admin/integrations/1/tokens";
            pool.execute(() -> {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(page)).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
                    answered.incrementAndGet();
                    if (r.statusCode() != 303 || !r.headers().firstValue("Location").orElse("").equals("/login")
                            || r.headers().firstValue("Set-Cookie").isPresent()) {
                        wrong.add(r.statusCode() + " " + r.headers().map());
                    }
                } catch (IOException e) {
                    // the server may close a connection whose body it did not read: not an answer, not a failure
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(5, TimeUnit.MINUTES), "the flood did not finish");
        assertTrue(wrong.isEmpty(), () -> wrong.size() + " wrong answers, e.g. " + wrong.get(0));
        assertTrue(answered.get() >= REQUESTS / 2, () -> "only " + answered.get() + " of " + REQUESTS + " answered");
        assertTrue(gateway.isAlive(), () -> "the gateway died:\n" + String.join("\n", log));

        // The gateway keeps answering, and holds neither sessions nor forms.
        GatewayClient anonymous = GatewayClient.anonymous(base);
        assertEquals(200, anonymous.get("/login").status());
        Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(gateway.pid()), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        assertTrue(gc.waitFor(60, TimeUnit.SECONDS));
        String metrics = GatewayClient.anonymous(management).get("/metrics").body();
        assertEquals(0.0, sample(metrics, "globalgate_gateway_sessions_started_total"), "sessions created");
        double heap = sumOf(metrics, "jvm_memory_used_bytes\\{area=\"heap\"[^}]*}");
        assertTrue(heap < HEAP_AFTER_GC_MAX, () -> "heap after GC: " + (long) heap / 1024 + " KB");
        assertTrue(!String.join("\n", log).contains("OutOfMemoryError"), () -> String.join("\n", log));
    }

    private static double sample(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(metrics);
        assertTrue(m.find(), () -> "no " + name + " in /metrics");
        return Double.parseDouble(m.group(1));
    }

    private static double sumOf(String metrics, String nameAndLabels) {
        Matcher m = Pattern.compile("(?m)^" + nameAndLabels + " ([0-9.eE+-]+)$").matcher(metrics);
        double sum = 0;
        boolean any = false;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
            any = true;
        }
        assertTrue(any, () -> "no " + nameAndLabels + " in /metrics");
        return sum;
    }

    private void read(List<String> log, CompletableFuture<URI[]> up) {
        Pattern publicUri = Pattern.compile("is up at (http://\\S+)");
        Pattern managementUri = Pattern.compile("Management\\s+(http://\\S+/)metrics");
        URI base = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                log.add(line);
                Matcher p = publicUri.matcher(line);
                if (p.find()) {
                    base = URI.create(p.group(1) + "/");
                }
                Matcher m = managementUri.matcher(line);
                if (m.find() && base != null) {
                    up.complete(new URI[] {base, URI.create(m.group(1))});
                }
            }
        } catch (IOException e) {
            up.completeExceptionally(e);
        }
        up.completeExceptionally(new AssertionError("the gateway stopped:\n" + String.join("\n", log)));
    }
}
