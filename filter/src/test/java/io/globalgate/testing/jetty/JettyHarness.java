package io.globalgate.testing.jetty;

import io.globalgate.filter.contract.ContainerHarness;
import io.globalgate.filter.contract.Deployment;
import io.globalgate.filter.contract.EchoServlet;
import io.globalgate.filter.contract.RecordingTokenFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Jetty;

import java.net.URI;
import java.util.EnumSet;
import java.util.Map;

/** Embedded Jetty 12, ee10: the filter registered through a {@link FilterHolder} with init-params, as in code-configured servers. */
public final class JettyHarness implements ContainerHarness {

    public static final String CONTEXT_PATH = "/app";

    private final Filter before;
    private final int outputBufferSize;

    /** The filter alone in front of the servlet, the container's default response buffer. */
    public JettyHarness() {
        this(null, 0);
    }

    /**
     * @param before           a filter of the application mapped ahead of Globalgate's, or null
     * @param outputBufferSize the connector's response buffer in bytes, or 0 for Jetty's default
     */
    public JettyHarness(Filter before, int outputBufferSize) {
        this.before = before;
        this.outputBufferSize = outputBufferSize;
    }

    @Override
    public String containerName() {
        return "Jetty " + Jetty.VERSION;
    }

    @Override
    public Deployment deploy(Map<String, String> initParameters, Map<String, Object> contextAttributes) throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
        if (outputBufferSize > 0) {
            http.setOutputBufferSize(outputBufferSize);
            http.setOutputAggregationSize(Math.min(outputBufferSize, http.getOutputAggregationSize()));
        }
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler(CONTEXT_PATH);
        contextAttributes.forEach(context::setAttribute);
        if (before != null) {
            FilterHolder earlier = new FilterHolder(before);
            earlier.setName("application-filter");
            context.addFilter(earlier, "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        RecordingTokenFilter filter = new RecordingTokenFilter();
        FilterHolder holder = new FilterHolder(filter);
        holder.setName("globalgate");
        holder.setInitParameters(initParameters);
        context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder("echo", new EchoServlet()), "/*");
        server.setHandler(context);

        Throwable failure = null;
        try {
            server.start();
            if (!context.isAvailable()) {
                failure = filter.initFailure() != null ? filter.initFailure() : new IllegalStateException("context unavailable");
            }
        } catch (Exception e) {
            failure = e;
        }
        int port = connector.getLocalPort();
        URI base = port > 0 ? URI.create("http://127.0.0.1:" + port + CONTEXT_PATH + "/") : null;
        return new Deployment(base, filter, failure, server::stop);
    }
}
