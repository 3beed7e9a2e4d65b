package io.globalgate.filter.contract;

import java.util.Map;

/**
 * Starts a real servlet container on an ephemeral port with the Globalgate filter mapped to
 * {@code /*} in front of an {@link EchoServlet}. Implementations live in the container's own test
 * package; this package references no container class.
 */
public interface ContainerHarness {

    /** The request headers a started container accepts, at least: a 64 KB token must reach the filter. */
    int MAX_REQUEST_HEADER_BYTES = 128 * 1024;

    /** "Jetty 12.1.x" and the like, for messages. */
    String containerName();

    /**
     * Starts a container with one context at {@link Deployment#baseUri()}, the given context
     * attributes set before any filter starts, and a {@link RecordingTokenFilter} configured by
     * the given init-params the container's own way. A filter whose init fails does not make this
     * throw: the failure is reported by {@link Deployment#startFailure()}.
     */
    Deployment deploy(Map<String, String> initParameters, Map<String, Object> contextAttributes) throws Exception;
}
