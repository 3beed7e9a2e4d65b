package io.globalgate.soak;

import java.util.List;

/**
 * One call of the JSON management API made by an admin driver, with when it was sent and when its
 * answer came: the checker's model of which token should be accepted when is built from these.
 */
final class AdminAction {

    enum Kind {
        CREATE_INTEGRATION("create integration"), RENAME_INTEGRATION("rename integration"),
        DEACTIVATE("deactivate integration"), REACTIVATE("reactivate integration"),
        CREATE_TOKEN("create token"), REVOKE("revoke token"), MASS_REVOKE("mass revoke"),
        REGENERATE("regenerate"), REGENERATE_WITH_GRACE("regenerate with grace"),
        NARROW_NETWORKS("narrow token networks", RequestLog.REASON_NETWORK,
                "{\"allowedNetworks\":[\"192.0.2.0/24\",\"2001:db8::/32\"],\"scope\":\"read-write\",\"pathPrefixes\":[]}"),
        LIMIT_SCOPE("limit token scope", RequestLog.REASON_SCOPE,
                "{\"allowedNetworks\":[],\"scope\":\"read-only\",\"pathPrefixes\":[\"/api/global/v1/orders/\"]}"),
        RESTRICT_ALLOWING("restrict token, GET allowed", RequestLog.REASON_NONE,
                "{\"allowedNetworks\":[\"127.0.0.0/8\",\"::1/128\"],\"scope\":\"read-only\",\"pathPrefixes\":[\"/api/global/v1/system/\"]}"),
        LIFT_RESTRICTIONS("lift token restrictions", RequestLog.REASON_NONE,
                "{\"allowedNetworks\":[],\"scope\":\"read-write\",\"pathPrefixes\":[]}");

        final String label;
        /** A restriction change ({@code PATCH /tokens/{id}} with {@link #body}): every restriction the token has afterwards. */
        final boolean restriction;
        /**
         * What a load client's request ({@code GET /api/global/v1/system/status} from 127.0.0.1) gets
         * under the restrictions this change leaves: {@code REASON_NONE} = accepted, else the 403's reason.
         */
        final byte refusal;
        final String body;

        Kind(String label) {
            this.label = label;
            this.restriction = false;
            this.refusal = RequestLog.REASON_NONE;
            this.body = null;
        }

        Kind(String label, byte refusal, String body) {
            this.label = label;
            this.restriction = true;
            this.refusal = refusal;
            this.body = body;
        }
    }

    /**
     * What the answer says about whether the action happened. {@code UNAVAILABLE} (a 503) and
     * {@code UNCERTAIN} (no answer, or a 5xx) may have committed: the store reads the row back
     * after its transaction, so a 503 can follow a commit.
     */
    enum Outcome {
        SUCCESS, REFUSED, NOT_SENT, UNAVAILABLE, UNCERTAIN;

        boolean mayHaveHappened() {
            return this == SUCCESS || this == UNAVAILABLE || this == UNCERTAIN;
        }

        boolean uncertain() {
            return this == UNAVAILABLE || this == UNCERTAIN;
        }
    }

    final Kind kind;
    final int node;
    final long sent;
    final long integrationId;
    /** The token acted on (revoke, regenerate), or -1. */
    final long tokenId;
    /** The ids sent in a mass revoke; {@code expectedRevoked} of them are this integration's and not revoked yet. */
    final List<Long> ids;
    final long graceSeconds;
    final String name;

    long answered;
    Outcome outcome;
    int status;
    String answer;
    /** Pool index of the token this action created (create, regenerate), or -1. */
    int newTokenIndex = -1;
    long newTokenId = -1;
    /** Id of the integration this action created, or -1. */
    long newIntegrationId = -1;
    List<Long> expectedRevoked = List.of();
    int reportedRevoked = -1;

    AdminAction(Kind kind, int node, long sent, long integrationId, long tokenId, List<Long> ids, long graceSeconds, String name) {
        this.kind = kind;
        this.node = node;
        this.sent = sent;
        this.integrationId = integrationId;
        this.tokenId = tokenId;
        this.ids = ids;
        this.graceSeconds = graceSeconds;
        this.name = name;
    }

    @Override
    public String toString() {
        return kind.label + " via node " + (node + 1) + " (integration " + integrationId + (tokenId >= 0 ? ", token " + tokenId : "")
                + (ids.isEmpty() ? "" : ", ids " + ids) + (graceSeconds > 0 ? ", grace " + graceSeconds + " s" : "")
                + ") sent at " + Timeline.at(sent) + ", answered " + (outcome == null ? "never" : outcome + " " + status)
                + " at " + Timeline.at(answered);
    }
}
