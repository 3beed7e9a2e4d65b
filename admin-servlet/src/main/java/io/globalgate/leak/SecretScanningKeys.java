package io.globalgate.leak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GitHub's secret-scanning public keys, read from a file in the format of
 * {@code https://api.github.com/meta/public_keys/secret_scanning}
 * ({@code {"public_keys":[{"key_identifier","key":"-----BEGIN PUBLIC KEY-----...","is_current"}]}}),
 * and the check of a report's signature against them: ECDSA on P-256 with SHA-256 over the raw
 * body, the signature base64 of its DER encoding. The operator refreshes the file (GitHub rotates
 * its keys); a changed file is read again at the next report, at most once every
 * {@link #RECHECK}; a file that no longer reads leaves the keys read before in force.
 */
public final class SecretScanningKeys {

    private static final Logger LOG = LoggerFactory.getLogger(SecretScanningKeys.class);
    /** How often the file's modification time is looked at. */
    static final Duration RECHECK = Duration.ofSeconds(10);
    private static final int MAX_FILE_BYTES = 256 * 1024;
    private static final int MAX_KEYS = 100;
    /** A DER ECDSA P-256 signature is at most 72 bytes; its base64, 96 characters. */
    private static final int MAX_SIGNATURE_CHARS = 200;
    private static final int MAX_IDENTIFIER_CHARS = 200;

    private final Path file;
    private final Clock clock;
    private volatile Loaded loaded;
    private volatile Instant nextCheck;

    private record Loaded(Map<String, PublicKey> keys, FileTime modified) {
    }

    /**
     * Reads the keys now.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public SecretScanningKeys(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        this.loaded = read(file);
        this.nextCheck = clock.instant().plus(RECHECK);
    }

    /** How many keys are in force. */
    public int size() {
        return loaded.keys().size();
    }

    /**
     * Whether {@code signatureBase64} is a signature of {@code body} by the key named
     * {@code identifier}. Any malformed or unknown input is simply false.
     */
    public boolean verify(String identifier, String signatureBase64, byte[] body) {
        if (identifier == null || signatureBase64 == null || identifier.length() > MAX_IDENTIFIER_CHARS
                || signatureBase64.length() > MAX_SIGNATURE_CHARS) {
            return false;
        }
        PublicKey key = current().keys().get(identifier.strip());
        if (key == null) {
            return false;
        }
        try {
            byte[] der = Base64.getDecoder().decode(signatureBase64.strip());
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(body);
            return verifier.verify(der);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false; // not base64, not DER, or out of range: not a signature of this key
        }
    }

    private Loaded current() {
        Instant now = clock.instant();
        if (now.isBefore(nextCheck)) {
            return loaded;
        }
        synchronized (this) {
            if (now.isBefore(nextCheck)) {
                return loaded;
            }
            nextCheck = now.plus(RECHECK);
            try {
                FileTime modified = Files.getLastModifiedTime(file);
                if (!modified.equals(loaded.modified())) {
                    loaded = read(file);
                    LOG.info("Secret scanning: {} public key(s) read again from {}", loaded.keys().size(), file);
                }
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("Secret scanning: the keys file {} cannot be read again ({}); the {} key(s) read before stay in force",
                        file, e.getMessage(), loaded.keys().size());
            }
            return loaded;
        }
    }

    private static Loaded read(Path file) {
        String where = "the secret scanning keys file " + file;
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(where + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            return new Loaded(parse(new String(bytes, StandardCharsets.UTF_8), where), modified);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + " cannot be read: " + e.getMessage(), e);
        }
    }

    static Map<String, PublicKey> parse(String json, String where) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + " is not JSON in the format of GitHub's public keys answer", e);
        }
        JsonNode list = root == null ? null : root.get("public_keys");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException(where + " has no \"public_keys\" array with a key in it");
        }
        if (list.size() > MAX_KEYS) {
            throw new IllegalArgumentException(where + " has more than " + MAX_KEYS + " keys");
        }
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode entry : list) {
            JsonNode id = entry.get("key_identifier");
            JsonNode pem = entry.get("key");
            if (id == null || !id.isTextual() || id.textValue().isBlank() || id.textValue().length() > MAX_IDENTIFIER_CHARS
                    || pem == null || !pem.isTextual()) {
                throw new IllegalArgumentException(where + ": public_keys[" + index + "] needs a \"key_identifier\" and a \"key\"");
            }
            keys.put(id.textValue().strip(), publicKey(pem.textValue(), where + ": public_keys[" + index + "]"));
            index++;
        }
        return Map.copyOf(keys);
    }

    private static PublicKey publicKey(String pem, String where) {
        String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            if (!(key instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new IllegalArgumentException(where + " is not an ECDSA P-256 public key");
            }
            return key;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException(where + " is not a PEM ECDSA P-256 public key", e);
        }
    }
}
