package io.globalgate.testing.jetty;

import jakarta.servlet.ServletContext;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;

import java.util.Map;

/**
 * A started Jetty 12 (ee10) context with no filter, servlet or connector: its {@link ServletContext}
 * is a real one, for a test that calls a filter's {@code init} and {@code destroy} itself, where a
 * container would decide whether and when to call them.
 */
public final class JettyContext implements AutoCloseable {

    private final Server server;
    private final ServletContextHandler context;

    private JettyContext(Server server, ServletContextHandler context) {
        this.server = server;
        this.context = context;
    }

    /** Started, with the given context attributes set. */
    public static JettyContext start(Map<String, Object> attributes) throws Exception {
        Server server = new Server();
        ServletContextHandler context = new ServletContextHandler(JettyHarness.CONTEXT_PATH);
        attributes.forEach(context::setAttribute);
        server.setHandler(context);
        server.start();
        return new JettyContext(server, context);
    }

    public ServletContext servletContext() {
        return context.getServletContext();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
