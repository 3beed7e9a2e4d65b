package io.globalgate.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Tells listeners in this JVM of changes right after they commit, so a verifier sharing the store
 * with the admin servlet refuses a revoked token at once instead of at its next poll.
 */
final class ChangePublisher {

    private static final Logger LOG = LoggerFactory.getLogger(ChangePublisher.class);

    private final List<Consumer<ChangeEvent>> listeners = new CopyOnWriteArrayList<>();

    void add(Consumer<ChangeEvent> listener) {
        listeners.add(listener);
    }

    void remove(Consumer<ChangeEvent> listener) {
        listeners.remove(listener);
    }

    void publish(ChangeEvent event) {
        for (Consumer<ChangeEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                // The poller will deliver the same event; a failing listener must not fail the action.
                LOG.warn("Change listener failed on event {}", event.id(), e);
            }
        }
    }
}
