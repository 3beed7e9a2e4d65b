package io.globalgate.soak;

import java.util.Arrays;

/**
 * The requests one thread sent to the Global API, in columns of primitives (a long run makes
 * millions): when each was sent and answered, which token and node, and what came back.
 */
final class RequestLog {

    /** Status of a request that got no HTTP answer: no connection could be made. */
    static final short CONNECT_REFUSED = -1;
    /** Status of a request that got no HTTP answer: the connection failed or timed out after it was sent. */
    static final short NO_ANSWER = -2;

    /** What a 401 said, from {@code WWW-Authenticate}'s error_description. */
    static final byte REASON_NONE = 0, REASON_REVOKED = 1, REASON_EXPIRED = 2, REASON_INACTIVE = 3, REASON_UNKNOWN = 4,
            REASON_MALFORMED = 5, REASON_OTHER = 6;
    /** What a 403 said: the client address is outside the allowed networks (no challenge), or the request outside the scope. */
    static final byte REASON_NETWORK = 7, REASON_SCOPE = 8;

    /** Set on an accepted request whose upstream did not see the token's integration, or saw the credentials, or whose answer carried another request's id. */
    static final byte FLAG_WRONG_PRINCIPAL = 1;
    /** A hostile request sent over a raw socket: a closed connection is a fine answer to it. */
    static final byte FLAG_RAW = 2;

    private static final int MAX_NOTES = 50;

    int size;
    /** What came back with an answer the contract does not expect (a 5xx other than 503, say), by row, for the report. */
    final java.util.Map<Integer, String> notes = new java.util.HashMap<>();
    long[] sent = new long[1024];
    long[] received = new long[1024];
    /** Pool index of the token sent, or -1 for a hostile header ({@link #variant} says which). */
    int[] token = new int[1024];
    byte[] node = new byte[1024];
    short[] status = new short[1024];
    byte[] reason = new byte[1024];
    byte[] flags = new byte[1024];
    byte[] variant = new byte[1024];

    void add(long sentAt, long receivedAt, int tokenIndex, int nodeIndex, int statusCode, byte why, byte flag, byte kind) {
        if (size == sent.length) {
            int n = size * 2;
            sent = Arrays.copyOf(sent, n);
            received = Arrays.copyOf(received, n);
            token = Arrays.copyOf(token, n);
            node = Arrays.copyOf(node, n);
            status = Arrays.copyOf(status, n);
            reason = Arrays.copyOf(reason, n);
            flags = Arrays.copyOf(flags, n);
            variant = Arrays.copyOf(variant, n);
        }
        sent[size] = sentAt;
        received[size] = receivedAt;
        token[size] = tokenIndex;
        node[size] = (byte) nodeIndex;
        status[size] = (short) statusCode;
        reason[size] = why;
        flags[size] = flag;
        variant[size] = kind;
        size++;
    }

    /** Keeps what an unexpected answer said, for the row about to be added. */
    void noteNext(String note) {
        if (notes.size() < MAX_NOTES) {
            String text = note.replaceAll("\\s+", " ");
            notes.put(size, text.length() > 700 ? text.substring(0, 700) + "…" : text);
        }
    }

    String note(int row) {
        String note = notes.get(row);
        return note == null ? "" : " [" + note.replaceAll("\\s+", " ") + "]";
    }

    static byte reasonOf(String challenge) {
        if (challenge == null) {
            return REASON_NONE;
        }
        if (challenge.contains("revoked")) {
            return REASON_REVOKED;
        }
        if (challenge.contains("expired")) {
            return REASON_EXPIRED;
        }
        if (challenge.contains("inactive")) {
            return REASON_INACTIVE;
        }
        if (challenge.contains("not recognised")) {
            return REASON_UNKNOWN;
        }
        if (challenge.contains("malformed") || challenge.contains("too long")) {
            return REASON_MALFORMED;
        }
        return REASON_OTHER;
    }

    /** What a 403 said: {@code insufficient_scope} in its challenge, or a {@code forbidden} body without one (the address). */
    static byte refusalOf(String challenge, String body) {
        if (challenge != null) {
            return challenge.contains("error=\"insufficient_scope\"") ? REASON_SCOPE : REASON_OTHER;
        }
        return body.startsWith("{\"errors\":[{\"type\":\"forbidden\"") ? REASON_NETWORK : REASON_OTHER;
    }

    static String reasonName(byte reason) {
        return switch (reason) {
            case REASON_NONE -> "-";
            case REASON_REVOKED -> "revoked";
            case REASON_EXPIRED -> "expired";
            case REASON_INACTIVE -> "inactive";
            case REASON_UNKNOWN -> "unknown";
            case REASON_MALFORMED -> "malformed";
            case REASON_NETWORK -> "network";
            case REASON_SCOPE -> "scope";
            default -> "other";
        };
    }
}
