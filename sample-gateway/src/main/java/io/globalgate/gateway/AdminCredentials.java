package io.globalgate.gateway;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The admin password, kept only as a PBKDF2-HMAC-SHA256 hash in {@code <data dir>/admin-password}.
 * On the first start without a configured password one is generated and returned once for the
 * start-up log; later starts reuse the stored hash.
 */
public final class AdminCredentials {

    static final String FILE_NAME = "admin-password";
    private static final int ITERATIONS = 210_000;
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] salt;
    private final byte[] hash;
    private final int iterations;
    /** Passwords already verified, by their salted SHA-256, so HTTP Basic does not pay PBKDF2 per request. */
    private final ConcurrentHashMap<String, Boolean> verified = new ConcurrentHashMap<>();
    private final AtomicLong derivations = new AtomicLong();

    private AdminCredentials(byte[] salt, byte[] hash, int iterations) {
        this.salt = salt;
        this.hash = hash;
        this.iterations = iterations;
    }

    /** The credentials and, when one was generated just now, the password to print once. */
    public record Loaded(AdminCredentials credentials, String generatedPassword, boolean fromFile) {
    }

    public static Loaded load(Path dataDir, String configuredPassword) throws IOException {
        if (configuredPassword != null) {
            byte[] salt = newSalt();
            return new Loaded(new AdminCredentials(salt, pbkdf2(configuredPassword, salt, ITERATIONS), ITERATIONS), null, false);
        }
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            ownerOnly(file);
            String[] parts = Files.readString(file, StandardCharsets.US_ASCII).strip().split("\\$");
            if (parts.length != 4 || !parts[0].equals("pbkdf2-sha256")) {
                throw new IOException(file + " is not a Globalgate password hash; delete it to generate a new admin password");
            }
            return new Loaded(new AdminCredentials(Base64.getDecoder().decode(parts[2]), Base64.getDecoder().decode(parts[3]),
                    Integer.parseInt(parts[1])), null, true);
        }
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        byte[] salt = newSalt();
        AdminCredentials credentials = new AdminCredentials(salt, pbkdf2(password.toString(), salt, ITERATIONS), ITERATIONS);
        Files.createDirectories(dataDir);
        String line = "pbkdf2-sha256$" + ITERATIONS + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(credentials.hash) + "\n";
        try {
            // created 0600, never readable by others, not even for a moment
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system; the data dir's own permissions apply
            Files.createFile(file);
        }
        Files.writeString(file, line, StandardCharsets.US_ASCII, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        return new Loaded(credentials, password.toString(), false);
    }

    /** A hash file written by an earlier version (0644) is made the owner's only. */
    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }

    /** Forgets the stored hash, so the next start generates a new password. */
    static void discard(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(FILE_NAME));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dataDir.resolve(FILE_NAME) + "; delete it to generate a new admin password", e);
        }
    }

    public boolean check(String password) {
        if (password == null || password.length() > 200) {
            return false;
        }
        String key = fingerprint(password);
        if (verified.containsKey(key)) {
            return true;
        }
        boolean ok = MessageDigest.isEqual(hash, derive(password));
        if (ok) {
            verified.put(key, Boolean.TRUE);
        }
        return ok;
    }

    /**
     * What checking a wrong password costs, spent on a sign-in as a user who does not exist: the
     * same PBKDF2 work, so the time of an answer does not tell which user names exist. Always false.
     */
    public boolean checkForUnknownUser(String password) {
        if (password != null && password.length() <= 200) {
            MessageDigest.isEqual(hash, derive(password));
        }
        return false;
    }

    /** PBKDF2 derivations made so far: what sign-in attempts have cost (tests compare it). */
    long derivations() {
        return derivations.get();
    }

    private byte[] derive(String password) {
        derivations.incrementAndGet();
        return pbkdf2(password, salt, iterations);
    }

    private String fingerprint(String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return Base64.getEncoder().encodeToString(sha.digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] newSalt() {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return salt;
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is required of every Java platform", e);
        }
    }
}
