package io.globalgate.token;

import java.security.SecureRandom;

/**
 * The Global API token format: {@code gat_} + 32 base62 characters of randomness + 6 base62
 * characters of the CRC32 of those 32 characters (the GitHub scheme). The checksum lets the
 * filter, and secret scanners, reject a mistyped or made-up token without any lookup.
 */
public final class TokenFormat {

    public static final String PREFIX = "gat_";
    public static final int RANDOM_LENGTH = 32;
    public static final int CHECKSUM_LENGTH = 6;
    public static final int LENGTH = PREFIX.length() + RANDOM_LENGTH + CHECKSUM_LENGTH;
    public static final String PATTERN = "^gat_[0-9A-Za-z]{38}$";

    static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /** Why a string is not a well-formed token. */
    public enum Problem {
        WRONG_PREFIX("token does not start with " + PREFIX),
        WRONG_LENGTH("token is not " + LENGTH + " characters long"),
        BAD_CHARACTER("token contains a character outside 0-9A-Za-z"),
        BAD_CHECKSUM("token checksum does not match");

        private final String message;

        Problem(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenFormat() {
    }

    /** A new token from {@link SecureRandom}. Never log the result. */
    public static String generate() {
        return generate(RANDOM);
    }

    static String generate(SecureRandom random) {
        char[] out = new char[LENGTH];
        PREFIX.getChars(0, PREFIX.length(), out, 0);
        byte[] buffer = new byte[64];
        int filled = 0;
        while (filled < RANDOM_LENGTH) {
            random.nextBytes(buffer);
            for (int i = 0; i < buffer.length && filled < RANDOM_LENGTH; i++) {
                int sixBits = buffer[i] & 0x3F;
                if (sixBits < 62) { // rejection sampling keeps every character equally likely
                    out[PREFIX.length() + filled++] = ALPHABET.charAt(sixBits);
                }
            }
        }
        writeChecksum(checksum(out, PREFIX.length()), out, PREFIX.length() + RANDOM_LENGTH);
        return new String(out);
    }

    /** Why {@code token} is not well-formed (prefix, length, alphabet, checksum), or null when it is; allocates nothing. */
    public static Problem problemOf(CharSequence token) {
        if (token.length() != LENGTH) {
            return startsWithPrefix(token) || token.length() < PREFIX.length()
                    ? Problem.WRONG_LENGTH : Problem.WRONG_PREFIX;
        }
        if (!startsWithPrefix(token)) {
            return Problem.WRONG_PREFIX;
        }
        // One pass over the random part: alphabet and CRC32 together.
        int crc = CRC_INITIAL;
        for (int i = PREFIX.length(); i < PREFIX.length() + RANDOM_LENGTH; i++) {
            char c = token.charAt(i);
            if (digit(c) < 0) {
                return Problem.BAD_CHARACTER;
            }
            crc = crcUpdate(crc, c);
        }
        long actual = 0;
        for (int i = PREFIX.length() + RANDOM_LENGTH; i < LENGTH; i++) {
            int d = digit(token.charAt(i));
            if (d < 0) {
                return Problem.BAD_CHARACTER;
            }
            actual = actual * 62 + d;
        }
        return actual == crcValue(crc) ? null : Problem.BAD_CHECKSUM;
    }

    /** Whether {@code token} is well-formed: it may still be unknown, revoked or expired. */
    public static boolean isValid(CharSequence token) {
        return problemOf(token) == null;
    }

    /** What may be shown of a token after its creation: {@code gat_…} and its last 4 characters. */
    public static String hint(String token) {
        return PREFIX + "\u2026" + token.substring(token.length() - 4);
    }

    private static boolean startsWithPrefix(CharSequence token) {
        if (token.length() < PREFIX.length()) {
            return false;
        }
        for (int i = 0; i < PREFIX.length(); i++) {
            if (token.charAt(i) != PREFIX.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static long checksum(char[] chars, int from) {
        int crc = CRC_INITIAL;
        for (int i = from; i < from + RANDOM_LENGTH; i++) {
            crc = crcUpdate(crc, chars[i]); // all ASCII here, so the char is the byte
        }
        return crcValue(crc);
    }

    /**
     * CRC-32 (IEEE, the value of java.util.zip.CRC32), table-driven a byte at a time, in the same
     * pass as the alphabet check: CRC32's own update(int) costs a call per character, and this runs
     * on every request (docs/BENCHMARKS.md, "Second profile", has the figures).
     */
    private static final int CRC_INITIAL = 0xFFFFFFFF;

    private static int crcUpdate(int crc, char asciiChar) {
        return CRC_TABLE[(crc ^ asciiChar) & 0xFF] ^ (crc >>> 8);
    }

    private static long crcValue(int crc) {
        return ~crc & 0xFFFFFFFFL;
    }

    private static void writeChecksum(long value, char[] out, int from) {
        for (int i = from + CHECKSUM_LENGTH - 1; i >= from; i--) {
            out[i] = ALPHABET.charAt((int) (value % 62));
            value /= 62;
        }
    }

    static int digit(char c) {
        return c < DIGITS.length ? DIGITS[c] : -1;
    }

    /** The base62 value of each ASCII character, -1 outside the alphabet. */
    private static final byte[] DIGITS = new byte[128];
    /** The CRC-32 (IEEE, as java.util.zip.CRC32) of each byte value. */
    private static final int[] CRC_TABLE = new int[256];

    static {
        java.util.Arrays.fill(DIGITS, (byte) -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            DIGITS[ALPHABET.charAt(i)] = (byte) i;
        }
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
            }
            CRC_TABLE[n] = c;
        }
    }
}
