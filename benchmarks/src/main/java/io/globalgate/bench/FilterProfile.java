package io.globalgate.bench;

import one.profiler.AsyncProfiler;
import one.profiler.AsyncProfilerLoader;
import one.profiler.Counter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code bench/run profile}: async-profiler's CPU samples of the filter bench server while one
 * side is under load, and what of them the filter spends itself. A sample is the filter's own
 * when {@code GlobalTokenFilter.doFilter} is on its stack and the frame it called is not the rest
 * of the chain ({@code doFilter}); it is then counted under that frame (the verifier, the usage
 * recorder, Jetty's {@code setAttribute}, ...), or as {@code (self)}. One part of a refusal is
 * listed but not counted as the filter's own: writing its body, where Jetty sends the whole
 * response to the socket, as it does inside the servlet when a request is accepted.
 *
 * <p>A sample is taken every {@link #INTERVAL} of CPU time a thread uses, in Java code, the JVM
 * or the kernel alike, so samples times the interval is CPU time, and divided by the requests
 * served it is CPU time per request. (JFR samples only threads in Java code and at most about
 * every 10 ms here; its shares leave out the kernel's part of a request, which is large for a
 * trivial servlet.)
 */
final class FilterProfile {

    static final Duration INTERVAL = Duration.ofMillis(1);
    private static final Pattern SIDE = Pattern.compile("[a-z][a-z0-9-]{0,40}");
    private static final String FILTER_FRAME = "io.globalgate.filter.GlobalTokenFilter.doFilter";
    /** Listed, not counted as the filter's own: the response's send, which every answered request has. */
    static final String SEND = "(sending the refusal: Jetty writes the response to the socket)";

    private final Path dir;
    private AsyncProfiler profiler;
    private boolean running;

    FilterProfile(Path dir) {
        this.dir = dir;
    }

    /** {@code GET /profile-start}: starts sampling (one profile at a time). */
    synchronized String start() {
        if (running) {
            throw new IllegalStateException("a profile is running; stop it first");
        }
        try {
            if (profiler == null) {
                AsyncProfilerLoader.setExtractionDirectory(dir.resolve("async-profiler"));
                profiler = AsyncProfilerLoader.load();
            }
            String answer = profiler.execute("start,event=cpu,interval=" + INTERVAL.toNanos());
            running = true;
            return "started " + answer.strip().replace(' ', '_');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code GET /profile-stop?side=NAME&requests=N}: stops, writes {@code profile-NAME.collapsed}
     * (every stack, for a flame graph) and {@code profile-NAME.txt} (the filter's pieces) to the
     * work dir, and answers the summary line.
     */
    synchronized String stop(Map<String, String> params) {
        String side = params.getOrDefault("side", "");
        if (!SIDE.matcher(side).matches()) {
            throw new IllegalArgumentException("side must match " + SIDE.pattern());
        }
        long requests = Long.parseLong(params.getOrDefault("requests", "0"));
        if (!running) {
            throw new IllegalStateException("no profile is running");
        }
        profiler.stop();
        running = false;
        String collapsed = profiler.dumpCollapsed(Counter.SAMPLES);
        Summary summary = summarize(collapsed);
        try {
            Path stacks = dir.resolve("profile-" + side + ".collapsed");
            Files.writeString(stacks, collapsed);
            Path table = dir.resolve("profile-" + side + ".txt");
            Files.writeString(table, summary.table(side, requests));
            return summary.line(requests) + " stacks=" + stacks + " table=" + table;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Samples of a profile: all of them, the filter's own, and the own ones by piece. */
    record Summary(long samples, long own, Map<String, Long> pieces) {

        String line(long requests) {
            return String.format(Locale.ROOT, "samples=%d own=%d own_share_pct=%.2f cpu_us_per_request=%s own_us_per_request=%s",
                    samples, own, share(own), perRequest(samples, requests), perRequest(own, requests));
        }

        String table(String side, long requests) {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "side %s: %d samples (one per %d µs of CPU), %d requests, %s µs of CPU per request%n",
                    side, samples, INTERVAL.toNanos() / 1_000, requests, perRequest(samples, requests)));
            out.append(String.format(Locale.ROOT, "%-70s %8s %8s %10s%n", "the filter's own time, by piece", "samples", "% all", "µs/request"));
            pieces.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> out.append(String.format(Locale.ROOT, "%-70s %8d %8.2f %10s%n",
                            e.getKey(), e.getValue(), share(e.getValue()), perRequest(e.getValue(), requests))));
            out.append(String.format(Locale.ROOT, "%-70s %8d %8.2f %10s%n", "total" + (pieces.containsKey(SEND) ? " (without the send)" : ""),
                    own, share(own), perRequest(own, requests)));
            return out.toString();
        }

        private double share(long part) {
            return samples == 0 ? 0.0 : 100.0 * part / samples;
        }

        private static String perRequest(long samples, long requests) {
            return requests <= 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", samples * (double) INTERVAL.toNanos() / 1_000.0 / requests);
        }
    }

    /** Reads async-profiler's collapsed stacks: one line per stack, root first, then its sample count. */
    static Summary summarize(String collapsed) {
        long samples = 0;
        long own = 0;
        Map<String, Long> pieces = new HashMap<>();
        for (String line : collapsed.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            long count = Long.parseLong(line.substring(space + 1).strip());
            samples += count;
            String piece = ownPiece(line.substring(0, space).split(";"));
            if (piece != null) {
                own += piece.equals(SEND) ? 0 : count;
                pieces.merge(piece, count, Long::sum);
            }
        }
        return new Summary(samples, own, pieces);
    }

    /** The piece of the filter a stack (root first) is in, or null when it is not the filter's own time. */
    static String ownPiece(String[] frames) {
        for (int i = 0; i < frames.length; i++) {
            if (name(frames[i]).equals(FILTER_FRAME)) {
                if (i == frames.length - 1) {
                    return "(self)";
                }
                String callee = name(frames[i + 1]);
                if (callee.endsWith(".doFilter")) {
                    return null;
                }
                for (int j = i + 2; j < frames.length && callee.startsWith("io.globalgate.filter.AuthErrorWriter."); j++) {
                    if (name(frames[j]).endsWith("OutputStream.write")) {
                        return SEND;
                    }
                }
                return callee;
            }
        }
        return null;
    }

    /** {@code io/globalgate/X.m_[j]} as {@code io.globalgate.X.m}. */
    private static String name(String frame) {
        int annotation = frame.indexOf("_[");
        return (annotation < 0 ? frame : frame.substring(0, annotation)).replace('/', '.');
    }
}
