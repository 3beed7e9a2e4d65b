package io.globalgate.bench;

import io.globalgate.gateway.GatewayServer;
import org.eclipse.jetty.server.Server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Scenario 6: two sample gateway nodes, each with its own store and pool, on one MariaDB. Each
 * trial issues a token through node A's JSON API, makes node B cache it (a 200), waits a random
 * part of the poll interval, revokes it through node A's API and asks node B every millisecond
 * until it answers 401. Node A must refuse at once (its admin tells its filter directly).
 */
final class RevocationReach {

    private static final Duration GIVE_UP = Duration.ofSeconds(10);

    private RevocationReach() {
    }

    static void run(BenchServer.Options o) throws Exception {
        Path work = o.workDir();
        int trials = o.getInt("trials", 50);
        BenchMariaDb mariaDb = BenchServer.closeOnExit(BenchMariaDb.start(work.resolve("mariadb"), o.get("buffer-pool", null)));
        mariaDb.newSchema("gg").close(); // the nodes open their own pools; the first one migrates
        Server upstream = BenchServer.trivialServer("bench-upstream");
        URI upstreamUri = URI.create("http://" + BenchServer.LOOPBACK + ":" + BenchServer.port(upstream));
        String password = GatewayBench.randomPassword();
        Server nodeA = BenchServer.startStopping(GatewayServer.createServer(
                GatewayBench.config(work.resolve("node-a"), upstreamUri, password, mariaDb.url("gg"))));
        Server nodeB = BenchServer.startStopping(GatewayServer.createServer(
                GatewayBench.config(work.resolve("node-b"), upstreamUri, password, mariaDb.url("gg"))));
        AdminClient adminA = new AdminClient(GatewayBench.uri(nodeA), "admin", password);
        long integration = adminA.createIntegration("Revocation reach");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        URI apiA = GatewayBench.uri(nodeA).resolve("/api/global/v1/hello");
        URI apiB = GatewayBench.uri(nodeB).resolve("/api/global/v1/hello");

        int warmup = 3;
        long[] fromRequest = new long[trials];
        long[] fromAnswer = new long[trials];
        long[] revokeCall = new long[trials];
        int refusedAtOnceOnA = 0;
        int timeouts = 0;
        System.out.printf("INFO revocation-reach: %d trials (+%d warm-up), node A :%d, node B :%d, MariaDB %s%n",
                trials, warmup, BenchServer.port(nodeA), BenchServer.port(nodeB), mariaDb.version());
        for (int i = -warmup; i < trials; i++) {
            AdminClient.Issued token = adminA.createToken(integration, "trial-" + i);
            require(status(http, apiB, token.value()) == 200, "node B does not accept a new token");
            require(status(http, apiB, token.value()) == 200, "node B does not accept a new token twice");
            require(status(http, apiA, token.value()) == 200, "node A does not accept a new token");
            // The change feed is polled every 500 ms: revoke at a random point of that cycle.
            Thread.sleep(ThreadLocalRandom.current().nextInt(0, 600));
            long t0 = System.nanoTime();
            adminA.revoke(token.id());
            long t1 = System.nanoTime();
            boolean aRefused = status(http, apiA, token.value()) == 401;
            long t2;
            while (true) {
                int status = status(http, apiB, token.value());
                t2 = System.nanoTime();
                if (status == 401) {
                    break;
                }
                require(status == 200, "node B answered " + status + " while waiting for the revocation");
                if (t2 - t0 > GIVE_UP.toNanos()) {
                    break;
                }
                Thread.sleep(1);
            }
            if (i < 0) {
                continue;
            }
            if (t2 - t0 > GIVE_UP.toNanos()) {
                timeouts++;
            }
            refusedAtOnceOnA += aRefused ? 1 : 0;
            fromRequest[i] = t2 - t0;
            fromAnswer[i] = t2 - t1;
            revokeCall[i] = t1 - t0;
            if ((i + 1) % 10 == 0 || i + 1 == trials) {
                System.out.printf("PROGRESS revocation-reach: %d/%d trials%n", i + 1, trials);
            }
        }
        Stats.Latency sent = Stats.Latency.ofNanos(fromRequest);
        Stats.Latency answered = Stats.Latency.ofNanos(fromAnswer);
        Stats.Latency call = Stats.Latency.ofNanos(revokeCall);
        String n = trials + " trials";
        System.out.println(Stats.row("6 revocation-reach", "node B refuses, ms after revoke request sent (p50 / p99 / max of " + n + ")",
                ms(sent), "p99 <= 1000", sent.p99us() <= 1_000_000 && timeouts == 0));
        System.out.println(Stats.row("6 revocation-reach", "node B refuses, ms after revoke answered (p50 / p99 / max)", ms(answered), null, null));
        System.out.println(Stats.row("6 revocation-reach", "revoke API call, ms (p50 / p99 / max)", ms(call), null, null));
        System.out.println(Stats.row("6 revocation-reach", "node A refuses at once (trials)", refusedAtOnceOnA + " of " + trials,
                "all", refusedAtOnceOnA == trials));
        if (timeouts > 0) {
            System.out.println(Stats.row("6 revocation-reach", "trials where node B still accepted after " + GIVE_UP.toSeconds() + " s",
                    Integer.toString(timeouts), "0", false));
        }
        System.out.printf(Locale.ROOT, "INFO revocation-reach raw ms after request sent: %s%n",
                Arrays.toString(Arrays.stream(fromRequest).mapToObj(v -> String.format(Locale.ROOT, "%.1f", v / 1e6)).toArray()));
    }

    private static String ms(Stats.Latency l) {
        return Stats.triple(l.p50us() / 1e3, l.p99us() / 1e3, l.maxUs() / 1e3);
    }

    private static int status(HttpClient http, URI uri, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("revocation-reach: " + message);
        }
    }
}
