package io.globalgate.filter.contract;

import java.net.URI;

/** A container started by a {@link ContainerHarness}; {@link #close()} stops it (and so destroys the filter). */
public final class Deployment implements AutoCloseable {

    /** How a harness stops what it started. */
    @FunctionalInterface
    public interface Stopper {
        void stop() throws Exception;
    }

    private final URI baseUri;
    private final RecordingTokenFilter filter;
    private final Throwable startFailure;
    private final Stopper stopper;

    /**
     * @param baseUri      the context root, ending in {@code /}; null when no connector listens
     * @param startFailure why the container refused to start the application, or null
     */
    public Deployment(URI baseUri, RecordingTokenFilter filter, Throwable startFailure, Stopper stopper) {
        this.baseUri = baseUri;
        this.filter = filter;
        this.startFailure = startFailure;
        this.stopper = stopper;
    }

    public URI baseUri() {
        return baseUri;
    }

    public URI uri(String relative) {
        return baseUri.resolve(relative);
    }

    public RecordingTokenFilter filter() {
        return filter;
    }

    public Throwable startFailure() {
        return startFailure;
    }

    @Override
    public void close() {
        try {
            stopper.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the container", e);
        }
    }
}
