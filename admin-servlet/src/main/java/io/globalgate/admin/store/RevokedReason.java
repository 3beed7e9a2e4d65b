package io.globalgate.admin.store;

import java.util.Locale;

/** Why a token was revoked; the code is stored in {@code access_token.revoked_reason} and shown by the API. */
public enum RevokedReason {
    /** An operator revoked it (one token, or several at once). */
    MANUAL,
    /** It was regenerated without a grace period. */
    REGENERATED,
    /** A deployment policy of its integration ended it. */
    INTEGRATION_POLICY,
    /** A secret scanner reported it found in public. */
    LEAK_REPORTED,
    /** Someone who held it sent it to the revocation endpoint. */
    REVOKED_BY_VALUE,
    /** It was not used for longer than the deployment allows. */
    UNUSED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
