package io.globalgate.leak;

import io.globalgate.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The keys file as the README tells operators to keep it: a copy of GitHub's public-keys answer,
 * refreshed by replacing the file. A replaced file is read within {@link SecretScanningKeys#RECHECK};
 * one that no longer reads leaves the keys read before in force; one that is missing or not in the
 * format at start-up is refused with a message naming the file and what is wrong.
 */
class SecretScanningKeysTest {

    private static final byte[] BODY = "[{\"token\":\"gat_x\",\"type\":\"globalgate_token\",\"url\":\"u\",\"source\":\"commit\"}]"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void aReplacedFileIsReadWithinTenSecondsAndTheOldKeyThenNoLongerVerifies() throws Exception {
        KeyPair old = ec("secp256r1");
        KeyPair rotated = ec("secp256r1");
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
        Path file = dir.resolve("github-keys.json");
        write(file, Map.of("old", old.getPublic()), FileTime.from(Instant.parse("2026-12-01T00:00:00Z")));
        SecretScanningKeys keys = new SecretScanningKeys(file, clock);
        assertTrue(keys.verify("old", sign(old.getPrivate()), BODY));

        // curl into a temporary file, then mv over the old one, as the README says
        Path fresh = dir.resolve("github-keys.json.new");
        write(fresh, Map.of("new", rotated.getPublic()), FileTime.from(Instant.parse("2026-12-02T00:00:00Z")));
        Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        clock.advance(SecretScanningKeys.RECHECK.minusMillis(1));
        assertAll("before the recheck: the keys read before",
                () -> assertTrue(keys.verify("old", sign(old.getPrivate()), BODY)),
                () -> assertFalse(keys.verify("new", sign(rotated.getPrivate()), BODY)));
        clock.advance(Duration.ofMillis(1));
        assertAll("at the recheck: the file as it is now",
                () -> assertTrue(keys.verify("new", sign(rotated.getPrivate()), BODY)),
                () -> assertFalse(keys.verify("old", sign(old.getPrivate()), BODY)),
                () -> assertEquals(1, keys.size()));
    }

    @Test
    void aFileThatNoLongerReadsLeavesTheKeysReadBeforeInForce() throws Exception {
        KeyPair github = ec("secp256r1");
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
        Path file = dir.resolve("github-keys.json");
        write(file, Map.of("k1", github.getPublic()), FileTime.from(Instant.parse("2026-12-01T00:00:00Z")));
        SecretScanningKeys keys = new SecretScanningKeys(file, clock);

        Files.writeString(file, "<html>rate limited</html>"); // a failed download saved over the file
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-12-02T00:00:00Z")));
        clock.advance(SecretScanningKeys.RECHECK);
        assertTrue(keys.verify("k1", sign(github.getPrivate()), BODY), "an unreadable file keeps the keys in force");

        Files.delete(file);
        clock.advance(SecretScanningKeys.RECHECK);
        assertTrue(keys.verify("k1", sign(github.getPrivate()), BODY), "so does a missing one");
    }

    @Test
    void aFileThatIsMissingOrNotInGitHubsFormatAtTheStartIsRefusedNamingItAndWhatIsWrong() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
        String p256 = pem(ec("secp256r1").getPublic());
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("not JSON", "is not JSON");
        cases.put("{\"public_keys\":[]}", "has no \"public_keys\" array with a key in it");
        cases.put("{\"keys\":[]}", "has no \"public_keys\" array");
        cases.put("[]", "has no \"public_keys\" array");
        cases.put("{\"public_keys\":[{\"key\":" + json(p256) + "}]}", "public_keys[0] needs a \"key_identifier\" and a \"key\"");
        cases.put("{\"public_keys\":[{\"key_identifier\":\"k\",\"key\":\"-----BEGIN PUBLIC KEY-----\\nnot base64\\n-----END PUBLIC KEY-----\"}]}",
                "public_keys[0] is not a PEM ECDSA P-256 public key");
        cases.put("{\"public_keys\":[{\"key_identifier\":\"k\",\"key\":" + json(pem(ec("secp384r1").getPublic())) + "}]}",
                "public_keys[0] is not a PEM ECDSA P-256 public key");
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024); // any RSA key is refused; a small one is quick to make
        cases.put("{\"public_keys\":[{\"key_identifier\":\"k\",\"key\":" + json(pem(rsa.generateKeyPair().getPublic())) + "}]}",
                "public_keys[0] is not a PEM ECDSA P-256 public key");
        StringBuilder many = new StringBuilder("{\"public_keys\":[");
        for (int i = 0; i <= 100; i++) {
            many.append(i == 0 ? "" : ",").append("{\"key_identifier\":\"k").append(i).append("\",\"key\":").append(json(p256)).append('}');
        }
        cases.put(many.append("]}").toString(), "has more than 100 keys");
        cases.put("x".repeat(300 * 1024), "is larger than 262144 bytes");
        int n = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path file = dir.resolve("keys-" + (n++) + ".json");
            Files.writeString(file, c.getKey());
            String message = assertThrows(IllegalArgumentException.class, () -> new SecretScanningKeys(file, clock)).getMessage();
            assertTrue(message.startsWith("the secret scanning keys file " + file) && message.contains(c.getValue()),
                    () -> c.getKey().substring(0, Math.min(80, c.getKey().length())) + " -> " + message);
        }
        Path missing = dir.resolve("no-such-file.json");
        String message = assertThrows(IllegalArgumentException.class, () -> new SecretScanningKeys(missing, clock)).getMessage();
        assertTrue(message.startsWith("the secret scanning keys file " + missing + " cannot be read"), message);
    }

    // ---- helpers

    private static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    private static String sign(PrivateKey key) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(BODY);
        return Base64.getEncoder().encodeToString(signer.sign());
    }

    private static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    private static String json(String text) {
        return "\"" + text.replace("\n", "\\n") + "\"";
    }

    /** A file as GitHub's public-keys answer has it, with the modification time given. */
    private static void write(Path file, Map<String, PublicKey> keys, FileTime modified) throws Exception {
        StringBuilder out = new StringBuilder("{\"public_keys\":[");
        boolean first = true;
        for (Map.Entry<String, PublicKey> key : keys.entrySet()) {
            out.append(first ? "" : ",").append("{\"key_identifier\":\"").append(key.getKey()).append("\",\"key\":")
                    .append(json(pem(key.getValue()))).append(",\"is_current\":true}");
            first = false;
        }
        Files.writeString(file, out.append("]}"));
        Files.setLastModifiedTime(file, modified);
    }
}
