package io.globalgate.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * SHA-256 of a whole token string: what the store keeps and what the verifier's cache is keyed
 * by, so no plaintext token is retained anywhere after the request that carried it.
 */
public final class TokenHash {

    public static final int LENGTH = 32;

    /**
     * One digest per thread, reused (reset by each {@code digest()}), each a clone of one
     * prototype: cloning per call allocated a fresh digest state every request, and a ThreadLocal
     * made by {@code getInstance} looked the provider up for every thread a container's pool
     * starts. A clone is the cheap way to a new digest.
     */
    private static final MessageDigest SHA256;
    private static final ThreadLocal<MessageDigest> DIGEST;

    static {
        try {
            SHA256 = MessageDigest.getInstance("SHA-256");
            SHA256.clone(); // fail at class load, not on a request, if this provider cannot clone
        } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        DIGEST = ThreadLocal.withInitial(() -> {
            try {
                return (MessageDigest) SHA256.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e); // checked above
            }
        });
    }

    private final byte[] bytes;
    private final int hash;

    private TokenHash(byte[] bytes) {
        this.bytes = bytes;
        // SHA-256 output is uniform: its first four bytes are as good a hash code as any.
        this.hash = (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | (bytes[3] & 0xFF);
    }

    public static TokenHash of(String token) {
        return new TokenHash(DIGEST.get().digest(token.getBytes(StandardCharsets.US_ASCII)));
    }

    public static TokenHash fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("a token hash is " + LENGTH + " bytes");
        }
        return new TokenHash(bytes.clone());
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TokenHash that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "TokenHash[" + toHex().substring(0, 8) + "…]";
    }
}
