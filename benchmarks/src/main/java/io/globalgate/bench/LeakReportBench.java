package io.globalgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.admin.store.IntegrationStore;
import io.globalgate.admin.store.IssuedToken;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.gateway.GatewayConfig;
import io.globalgate.gateway.GatewayServer;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.token.TokenFormat;
import io.globalgate.validation.InputValidator;
import org.eclipse.jetty.server.Server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * GitHub's secret scanning sends up to 1,000 matches in one signed report and expects the answer
 * within its timeout. The sample gateway on MariaDB (as in production) with a keys file of a key
 * this run generates; each round posts one signed report of 1,000 live tokens of 10 integrations
 * (all revoked, audited and e-mailed in one transaction), the same report again (nothing changes),
 * and a report of 1,000 well-formed tokens the deployment never issued. The time is from sending
 * the request to the whole answer; every answer is checked (200, 1,000 labels as expected).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.globalgate.bench.BenchServer leak-report --work-dir DIR [--rounds 5]
 * </pre>
 */
final class LeakReportBench {

    private static final int BATCH = 1000;
    private static final String KEY_ID = "bench-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LeakReportBench() {
    }

    static void run(BenchServer.Options o) throws Exception {
        Path work = o.workDir();
        int rounds = o.getInt("rounds", 5);
        BenchMariaDb mariaDb = BenchServer.closeOnExit(BenchMariaDb.start(work.resolve("mariadb"), o.get("buffer-pool", null)));
        HikariDataSource pool = BenchServer.closeOnExit(mariaDb.newSchema("gg"));
        ManagementStore store = new ManagementStore(new GlobalgateStore(pool, Clock.systemUTC()).migrate(),
                new InputValidator(Clock.systemUTC(), null));

        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair github = generator.generateKeyPair();
        Path keys = work.resolve("github-keys.json");
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(github.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        Files.writeString(keys, JSON.writeValueAsString(JSON.createObjectNode().set("public_keys", JSON.createArrayNode()
                .add(JSON.createObjectNode().put("key_identifier", KEY_ID).put("key", pem).put("is_current", true)))));

        Server upstream = BenchServer.trivialServer("bench-upstream");
        URI upstreamUri = URI.create("http://" + BenchServer.LOOPBACK + ":" + BenchServer.port(upstream));
        GatewayConfig base = GatewayBench.config(work.resolve("gateway"), upstreamUri, GatewayBench.randomPassword(), mariaDb.url("gg"));
        List<String> args = new ArrayList<>(List.of("--host", BenchServer.LOOPBACK, "--port", "0", "--management-port", "0",
                "--data-dir", base.dataDir().toString(), "--upstream-url", upstreamUri.toString(), "--admin-password", base.adminPassword(),
                "--jdbc-url", mariaDb.url("gg"), "--jdbc-user", "root", "--secret-scanning-keys", keys.toString()));
        Server gateway = BenchServer.startStopping(GatewayServer.createServer(GatewayConfig.parse(args.toArray(String[]::new),
                java.util.Map.of())));
        URI endpoint = GatewayBench.uri(gateway).resolve("/public/v1/secret-scanning/github");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        System.out.printf("INFO leak-report: %d rounds (+1 warm-up) of %d tokens, gateway :%d, MariaDB %s, %d cores%n",
                rounds, BATCH, BenchServer.port(gateway), mariaDb.version(), Runtime.getRuntime().availableProcessors());

        double[] live = new double[rounds];
        double[] replay = new double[rounds];
        double[] unknown = new double[rounds];
        for (int r = -1; r < rounds; r++) {
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                long integration = store.integrations().create("bench", IntegrationStore.Input.of("Leaky " + r + "-" + i, "",
                        "owners@example.com")).id();
                for (int t = 0; t < BATCH / 10; t++) {
                    IssuedToken issued = store.tokens().create("bench", integration, "t" + t, "never", null);
                    tokens.add(issued.value());
                }
            }
            List<String> forged = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                forged.add(TokenFormat.generate());
            }
            byte[] report = report(tokens);
            double l = post(http, endpoint, github, report, "true_positive");
            double p = post(http, endpoint, github, report, "true_positive");
            double u = post(http, endpoint, github, report(forged), "false_positive");
            if (r >= 0) {
                live[r] = l;
                replay[r] = p;
                unknown[r] = u;
            }
            System.out.printf("INFO round %d: live %.0f ms, replay %.0f ms, unknown %.0f ms%n", r, l, p, u);
        }
        System.out.println(Stats.row("leak-report", "1,000 live tokens reported: answer ms (min / median / max)", spread(live),
                "within GitHub's timeout", null));
        System.out.println(Stats.row("leak-report", "the same report again (nothing changes): answer ms", spread(replay), "", null));
        System.out.println(Stats.row("leak-report", "1,000 unknown tokens: answer ms", spread(unknown), "", null));
    }

    private static String spread(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return Stats.triple(sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1]);
    }

    private static byte[] report(List<String> tokens) throws Exception {
        ArrayNode matches = JSON.createArrayNode();
        for (int i = 0; i < tokens.size(); i++) {
            matches.addObject().put("token", tokens.get(i)).put("type", "globalgate_token")
                    .put("url", "https://github.com/octocat/leaky/blob/0123456789abcdef/config/file" + i + ".env").put("source", "content");
        }
        return JSON.writeValueAsBytes(matches);
    }

    /** Posts a signed report; returns the milliseconds until the whole answer was read, after checking every label. */
    private static double post(HttpClient http, URI endpoint, KeyPair github, byte[] body, String label) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(github.getPrivate());
        signer.update(body);
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofMinutes(2)).header("Content-Type", "application/json")
                .header("Github-Public-Key-Identifier", KEY_ID)
                .header("Github-Public-Key-Signature", Base64.getEncoder().encodeToString(signer.sign()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long t0 = System.nanoTime();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - t0) / 1e6;
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("the report was answered " + answer.statusCode() + ": " + answer.body());
        }
        JsonNode feedback = JSON.readTree(answer.body());
        if (feedback.size() != BATCH) {
            throw new IllegalStateException("feedback for " + feedback.size() + " tokens, not " + BATCH);
        }
        for (JsonNode f : feedback) {
            if (!label.equals(f.get("label").asText())) {
                throw new IllegalStateException("a token labelled " + f.get("label") + ", not " + label);
            }
        }
        return ms;
    }
}
