package io.globalgate.admin.pages;

import io.globalgate.admin.store.TokenStore.HourlyCount;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests per hour as the pages draw them: an SVG bar per hour that had requests (its
 * {@code <title>} says when and how many), a line and a label per day, the scale as numbers, and
 * the same data per day as a table, so that nothing depends on colour or on a pointer.
 */
public final class UsageChart {

    /** The drawing's coordinates: 168 hours of 4 units from x = 40, bars up to 150 units high above y = 170. */
    static final int LEFT = 40;
    static final int STEP = 4;
    static final int BASE = 170;
    static final int HEIGHT = 150;

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM", java.util.Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SHORT_DAY = DateTimeFormatter.ofPattern("EEE d", java.util.Locale.ENGLISH).withZone(ZoneOffset.UTC);

    public record Bar(int x, int y, int height, String title) {
    }

    /**
     * A day of the chart: where its line is, its label centred on its hours ({@code labelX}), a short
     * label for a phone, and its requests. A day with too few hours in the window to hold its label
     * (the window's first and last days are partial) is drawn without one: the table names it.
     */
    public record Day(int x, int hours, String label, String shortLabel, long requests) {

        /** The hours a label needs: "Wed 25 Nov" is about 60 units wide at the chart's font size. */
        static final int LABEL_HOURS = 17;

        public int labelX() {
            return x + hours * STEP / 2;
        }

        public boolean labeled() {
            return hours >= LABEL_HOURS;
        }
    }

    private final List<HourlyCount> hours;
    private final long max;
    private final long total;

    public UsageChart(List<HourlyCount> hours) {
        this.hours = List.copyOf(hours);
        this.max = hours.stream().mapToLong(HourlyCount::requests).max().orElse(0);
        this.total = hours.stream().mapToLong(HourlyCount::requests).sum();
    }

    public long max() {
        return max;
    }

    public long total() {
        return total;
    }

    /** One bar per hour with requests; an hour without requests draws nothing. */
    public List<Bar> bars() {
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < hours.size(); i++) {
            long n = hours.get(i).requests();
            if (n > 0) {
                int h = (int) Math.max(1, Math.round((double) n * HEIGHT / max));
                bars.add(new Bar(LEFT + i * STEP, BASE - h, h, Fmt.time(hours.get(i).hour()) + ": " + requests(n)));
            }
        }
        return bars;
    }

    /** Where each UTC day starts in the drawing, how many of its hours the window holds, its labels and its requests. */
    public List<Day> days() {
        Map<String, long[]> byDay = new LinkedHashMap<>(); // label -> {first hour's index, hours, requests}
        Map<String, String> shortOf = new LinkedHashMap<>();
        for (int i = 0; i < hours.size(); i++) {
            Instant hour = hours.get(i).hour();
            String label = DAY.format(hour);
            int first = i;
            long[] day = byDay.computeIfAbsent(label, k -> new long[] {first, 0, 0});
            day[1]++;
            day[2] += hours.get(i).requests();
            shortOf.putIfAbsent(label, SHORT_DAY.format(hour));
        }
        List<Day> days = new ArrayList<>();
        byDay.forEach((label, d) -> days.add(new Day(LEFT + (int) d[0] * STEP, (int) d[1], label, shortOf.get(label), d[2])));
        return days;
    }

    /** What the chart shows, in one sentence, for those who do not see it. */
    public String description() {
        return total == 0 ? "No requests in the last 7 days."
                : "Requests per hour over the last 7 days: " + requests(total) + " in all, at most " + requests(max) + " in one hour.";
    }

    /** The requests of the hours that started at or after {@code since}'s hour. */
    public long since(Instant since) {
        Instant hour = since.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        return hours.stream().filter(h -> !h.hour().isBefore(hour)).mapToLong(HourlyCount::requests).sum();
    }

    static String requests(long n) {
        return n == 1 ? "1 request" : n + " requests";
    }
}
