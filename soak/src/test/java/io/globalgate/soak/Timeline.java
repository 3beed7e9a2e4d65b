package io.globalgate.soak;

import java.util.Locale;

/**
 * One time base for everything the soak records: nanoseconds since the run began. Requests, admin
 * answers and faults are compared on it; {@link #epochMillis} converts to the wall clock the
 * gateways write into the database (they run in this JVM, on the same clock).
 */
final class Timeline {

    private final long originEpochMillis;
    private final long originNanos;

    Timeline() {
        originEpochMillis = System.currentTimeMillis();
        originNanos = System.nanoTime();
    }

    long now() {
        return System.nanoTime() - originNanos;
    }

    long epochMillis(long t) {
        return originEpochMillis + Math.floorDiv(t, 1_000_000L);
    }

    long fromEpochMillis(long epochMillis) {
        return (epochMillis - originEpochMillis) * 1_000_000L;
    }

    static long ms(long millis) {
        return millis * 1_000_000L;
    }

    /** {@code 12.345 s}: a time on the timeline, for the report. */
    static String at(long t) {
        return String.format(Locale.ROOT, "%.3f s", t / 1e9);
    }
}
