package io.globalgate.admin.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock, until a test holds it at an instant (a grace period's end, say) to see what
 * the filter and the store decide then, without sleeping; released, it follows the system clock
 * again. Shared by a test class's one server, so the other tests see the real time.
 */
public final class HoldableClock extends Clock {

    private final AtomicReference<Instant> held;
    private final ZoneId zone;

    public HoldableClock() {
        this(new AtomicReference<>(), ZoneOffset.UTC);
    }

    private HoldableClock(AtomicReference<Instant> held, ZoneId zone) {
        this.held = held;
        this.zone = zone;
    }

    public void hold(Instant at) {
        held.set(at);
    }

    public void release() {
        held.set(null);
    }

    @Override
    public Instant instant() {
        Instant at = held.get();
        return at != null ? at : Instant.now();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return new HoldableClock(held, newZone);
    }

    @Override
    public String toString() {
        Instant at = held.get();
        return at != null ? "HoldableClock[held at " + at + "]" : "HoldableClock[system]";
    }
}
