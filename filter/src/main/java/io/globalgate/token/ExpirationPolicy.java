package io.globalgate.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How long a token lives: never, one of the fixed periods, or until a custom instant. The code
 * ({@code never}, {@code 7d}, ..., {@code custom}) is what the API and the store speak.
 */
public final class ExpirationPolicy {

    public static final ExpirationPolicy NEVER = new ExpirationPolicy("never", null, null);
    public static final ExpirationPolicy DAYS_7 = days(7);
    public static final ExpirationPolicy DAYS_30 = days(30);
    public static final ExpirationPolicy DAYS_60 = days(60);
    public static final ExpirationPolicy DAYS_90 = days(90);
    public static final ExpirationPolicy DAYS_365 = days(365);

    public static final String CUSTOM = "custom";

    /** The fixed policies, in the order a form offers them. */
    public static final List<ExpirationPolicy> FIXED = List.of(NEVER, DAYS_7, DAYS_30, DAYS_60, DAYS_90, DAYS_365);

    private final String code;
    private final Duration period;
    private final Instant customExpiresAt;

    private ExpirationPolicy(String code, Duration period, Instant customExpiresAt) {
        this.code = code;
        this.period = period;
        this.customExpiresAt = customExpiresAt;
    }

    private static ExpirationPolicy days(int days) {
        return new ExpirationPolicy(days + "d", Duration.ofDays(days), null);
    }

    /** A fixed policy by its code, or null when the code is not one of them. */
    public static ExpirationPolicy fixed(String code) {
        for (ExpirationPolicy policy : FIXED) {
            if (policy.code.equals(code)) {
                return policy;
            }
        }
        return null;
    }

    public static ExpirationPolicy custom(Instant expiresAt) {
        return new ExpirationPolicy(CUSTOM, null, Objects.requireNonNull(expiresAt, "expiresAt"));
    }

    public String code() {
        return code;
    }

    public boolean isCustom() {
        return customExpiresAt != null;
    }

    public boolean isNever() {
        return this == NEVER || (period == null && customExpiresAt == null);
    }

    /** When a token issued at {@code now} under this policy expires; null for never. */
    public Instant expiresAt(Instant now) {
        if (customExpiresAt != null) {
            return customExpiresAt;
        }
        return period == null ? null : now.plus(period);
    }

    /**
     * The policy for a token that replaces one issued under {@code code}: fixed policies repeat;
     * a custom one keeps the lifetime the old token was given, counted from {@code now}.
     */
    public static ExpirationPolicy forReplacement(String code, Instant oldCreatedAt, Instant oldExpiresAt, Instant now) {
        ExpirationPolicy fixed = fixed(code);
        if (fixed != null) {
            return fixed;
        }
        if (oldExpiresAt == null) {
            return NEVER;
        }
        return custom(now.plus(Duration.between(oldCreatedAt, oldExpiresAt)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExpirationPolicy that && code.equals(that.code)
                && Objects.equals(customExpiresAt, that.customExpiresAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, customExpiresAt);
    }

    @Override
    public String toString() {
        return isCustom() ? "custom(" + customExpiresAt + ")" : code;
    }
}
