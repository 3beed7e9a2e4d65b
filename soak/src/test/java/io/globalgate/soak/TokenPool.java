package io.globalgate.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Every token the admin drivers were given, and which of them the load clients should use: live
 * ones (most requests), recently invalidated ones (to catch a late accept) and long-invalid ones.
 * What the pool says only steers the load; the checker judges from the action log alone.
 */
final class TokenPool {

    /** A token as its creation answered: what the checker knows of it from the start. */
    record Issued(int index, long id, long integrationId, String value, long answeredAt, Long expiresAtEpochMillis) {
        @Override
        public String toString() {
            return "token " + id + " (integration " + integrationId + ")";
        }
    }

    private enum State { LIVE, SUSPENDED, HOT, COLD }

    private static final long HOT_FOR = Timeline.ms(6_000);
    private static final int COLD_KEPT = 200;

    /** What the clients pick from; replaced, never changed. */
    record Snapshot(int[] live, int[] hot, int[] cold) {
        int pick(Random random) {
            double r = random.nextDouble();
            int[] from = r < 0.70 ? live : r < 0.95 ? hot : cold;
            if (from.length == 0) {
                from = live.length > 0 ? live : hot.length > 0 ? hot : cold;
            }
            return from.length == 0 ? -1 : from[random.nextInt(from.length)];
        }
    }

    private final List<Issued> issued = new ArrayList<>();
    private final List<State> states = new ArrayList<>();
    private final List<Long> since = new ArrayList<>();
    /** When a live token stops being valid by itself (its expiry or grace end), as the pool steers. */
    private final List<Long> liveUntilEpochMillis = new ArrayList<>();
    private volatile Snapshot snapshot = new Snapshot(new int[0], new int[0], new int[0]);

    synchronized Issued register(long id, long integrationId, String value, long answeredAt, Long expiresAtEpochMillis, boolean active) {
        Issued token = new Issued(issued.size(), id, integrationId, value, answeredAt, expiresAtEpochMillis);
        issued.add(token);
        states.add(active ? State.LIVE : State.SUSPENDED);
        since.add(answeredAt);
        liveUntilEpochMillis.add(expiresAtEpochMillis);
        return token;
    }

    synchronized Issued get(int index) {
        return issued.get(index);
    }

    synchronized List<Issued> issued() {
        return List.copyOf(issued);
    }

    /** Revoked (or thought to be): from now on a late accept is what the clients look for. */
    synchronized void invalidate(int index, long now) {
        if (states.get(index) != State.HOT && states.get(index) != State.COLD) {
            states.set(index, State.HOT);
            since.set(index, now);
        }
    }

    /** Its integration was deactivated. */
    synchronized void suspend(int index, long now) {
        if (states.get(index) == State.LIVE) {
            states.set(index, State.SUSPENDED);
            since.set(index, now);
        }
    }

    /** Its integration was activated again. */
    synchronized void resume(int index) {
        if (states.get(index) == State.SUSPENDED) {
            states.set(index, State.LIVE);
        }
    }

    /** A grace period began: live until then, then invalid. */
    synchronized void liveUntil(int index, long epochMillis) {
        Long current = liveUntilEpochMillis.get(index);
        liveUntilEpochMillis.set(index, current == null ? epochMillis : Math.min(current, epochMillis));
    }

    /** Moves tokens along (expired ones out of live, old invalid ones to cold) and publishes a new snapshot. */
    synchronized void refresh(long now, long nowEpochMillis) {
        List<Integer> live = new ArrayList<>();
        List<Integer> hot = new ArrayList<>();
        List<Integer> cold = new ArrayList<>();
        for (int i = 0; i < issued.size(); i++) {
            State state = states.get(i);
            Long until = liveUntilEpochMillis.get(i);
            if ((state == State.LIVE || state == State.SUSPENDED) && until != null && until <= nowEpochMillis) {
                state = State.HOT;
                since.set(i, now);
            }
            if (state == State.HOT && now - since.get(i) > HOT_FOR) {
                state = State.COLD;
            }
            states.set(i, state);
            switch (state) {
                case LIVE -> live.add(i);
                case SUSPENDED, HOT -> hot.add(i);
                case COLD -> cold.add(i);
            }
        }
        List<Integer> coldKept = cold.subList(Math.max(0, cold.size() - COLD_KEPT), cold.size());
        snapshot = new Snapshot(toArray(live), toArray(hot), toArray(coldKept));
    }

    Snapshot snapshot() {
        return snapshot;
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
