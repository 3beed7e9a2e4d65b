package io.globalgate.soak;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The faults the driver injected, as windows on the timeline: what was down, from when until when. */
final class FaultLog {

    /**
     * {@code node} is -1 for the database. {@code begin} is just before the stop; {@code end} is when
     * the stopped part serves again: for a node, when its start returned; for the database, when
     * every node's {@code /health} says its store answers (the pools reconnect some seconds after
     * MariaDB does). {@code note} says how long each step took.
     */
    record Window(String what, int node, long begin, long end, String note) {

        boolean overlaps(long from, long to, long widenAfter) {
            return begin <= to && end + widenAfter >= from;
        }

        boolean isDatabase() {
            return node < 0;
        }
    }

    private final List<Window> windows = new CopyOnWriteArrayList<>();

    void add(Window window) {
        windows.add(window);
    }

    List<Window> all() {
        return List.copyOf(windows);
    }

    List<Window> database() {
        return windows.stream().filter(Window::isDatabase).toList();
    }

    /** Whether [from, to] overlaps a database outage, each widened by {@code widenAfter} past its end. */
    boolean databaseDown(long from, long to, long widenAfter) {
        for (Window w : windows) {
            if (w.isDatabase() && w.overlaps(from, to, widenAfter)) {
                return true;
            }
        }
        return false;
    }

    boolean nodeDown(int node, long from, long to, long widenAfter) {
        for (Window w : windows) {
            if (w.node() == node && w.overlaps(from, to, widenAfter)) {
                return true;
            }
        }
        return false;
    }

    /**
     * When every node knows of a change answered at {@code answeredAt}: one propagation bound later,
     * unless the database went down before the nodes could read the change feed; then one bound
     * (plus the recovery margin) after it came back.
     */
    long knownBy(long answeredAt, long bound, long recoveryMargin) {
        long known = answeredAt + bound;
        for (Window w : windows) {
            if (w.isDatabase() && w.begin() <= answeredAt + bound && w.end() >= answeredAt - bound) {
                known = Math.max(known, w.end() + bound + recoveryMargin);
            }
        }
        return known;
    }
}
