package io.globalgate.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The few statistics the harness prints: nearest-rank percentiles of a sample, and the
 * min/median/max of per-round figures. One place, so every row of the table means the same.
 */
final class Stats {

    private Stats() {
    }

    /** Nearest-rank percentile ({@code p} in 0..100) of an already sorted sample. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    /** Min, median and max of per-round figures (median of an even count: mean of the middle two). */
    record Spread(double min, double median, double max) {
        static Spread of(double... values) {
            double[] v = values.clone();
            Arrays.sort(v);
            int n = v.length;
            double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
            return new Spread(v[0], median, v[n - 1]);
        }

        String text() {
            return triple(min, median, max);
        }
    }

    /** Latency of a sample of nanosecond timings, in microseconds. */
    record Latency(long count, double p50us, double p90us, double p99us, double maxUs) {
        static Latency ofNanos(long[] nanos) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return new Latency(sorted.length, percentile(sorted, 50) / 1e3, percentile(sorted, 90) / 1e3,
                    percentile(sorted, 99) / 1e3, sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e3);
        }

        String keyValues() {
            return String.format(Locale.ROOT, "n=%d p50_us=%.1f p90_us=%.1f p99_us=%.1f max_us=%.1f", count, p50us, p90us, p99us, maxUs);
        }
    }

    /**
     * One row of bench/run's table, tab-separated after {@code ROW}: scenario, measure, values (a
     * short text such as {@code "0.95 / 0.97 / 0.99"}; the measure says what they are), target and
     * verdict ({@code PASS}, {@code MISS}, or {@code -} for a row without a target).
     */
    static String row(String scenario, String measure, String values, String target, Boolean pass) {
        return String.join("\t", "ROW", scenario, measure, values, target == null ? "-" : target,
                pass == null ? "-" : pass ? "PASS" : "MISS");
    }

    static String triple(double a, double b, double c) {
        return fmt(a) + " / " + fmt(b) + " / " + fmt(c);
    }

    static String fmt(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double abs = Math.abs(value);
        if (abs >= 1000 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
