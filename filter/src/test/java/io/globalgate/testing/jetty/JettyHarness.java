package io.globalgate.testing.jetty;

import io.globalgate.filter.contract.ContainerHarness;
import io.globalgate.filter.contract.Deployment;
import io.globalgate.filter.contract.EchoServlet;
import io.globalgate.filter.contract.RecordingTokenFilter;
import jakarta.servlet.DispatcherType;
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

    @Override
    public String containerName() {
        return "Jetty " + Jetty.VERSION;
    }

    @Override
    public Deployment deploy(Map<String, String> initParameters, Map<String, Object> contextAttributes) throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler(CONTEXT_PATH);
        contextAttributes.forEach(context::setAttribute);
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
