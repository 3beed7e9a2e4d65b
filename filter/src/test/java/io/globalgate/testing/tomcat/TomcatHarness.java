package io.globalgate.testing.tomcat;

import io.globalgate.filter.contract.ContainerHarness;
import io.globalgate.filter.contract.Deployment;
import io.globalgate.filter.contract.EchoServlet;
import io.globalgate.filter.contract.RecordingTokenFilter;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Embedded Tomcat 11: the filter declared by {@link FilterDef} and {@link FilterMap}, the objects web.xml is parsed into. */
public final class TomcatHarness implements ContainerHarness {

    public static final String CONTEXT_PATH = "/app";

    @Override
    public String containerName() {
        return ServerInfo.getServerInfo();
    }

    @Override
    public Deployment deploy(Map<String, String> initParameters, Map<String, Object> contextAttributes) throws Exception {
        Tomcat tomcat = newTomcat("harness");
        Path docBase = Files.createDirectories(Path.of(tomcat.getServer().getCatalinaBase().getPath(), "docbase"));
        Context context = tomcat.addContext(CONTEXT_PATH, docBase.toString());
        // Run before any filter starts, as a host application's own initializer would.
        context.addServletContainerInitializer((classes, servletContext) -> contextAttributes.forEach(servletContext::setAttribute), null);

        RecordingTokenFilter filter = new RecordingTokenFilter();
        FilterDef def = new FilterDef();
        def.setFilterName("globalgate");
        def.setFilterClass(filter.getClass().getName());
        def.setFilter(filter);
        initParameters.forEach(def::addInitParameter);
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("globalgate");
        map.addURLPattern("/*");
        context.addFilterMap(map);
        Tomcat.addServlet(context, "echo", new EchoServlet());
        context.addServletMappingDecoded("/*", "echo", false);

        Throwable failure = null;
        try {
            tomcat.start();
            if (!context.getState().isAvailable()) {
                // Tomcat logs the filter's exception and marks the context FAILED; it does not throw.
                failure = filter.initFailure() != null ? filter.initFailure()
                        : new IllegalStateException("context " + CONTEXT_PATH + " is " + context.getState());
            }
        } catch (LifecycleException e) {
            failure = e;
        }
        int port = tomcat.getConnector().getLocalPort();
        URI base = port > 0 ? URI.create("http://127.0.0.1:" + port + CONTEXT_PATH + "/") : null;
        return new Deployment(base, filter, failure, () -> stop(tomcat));
    }

    /** A Tomcat on 127.0.0.1, port 0, headers up to {@link #MAX_REQUEST_HEADER_BYTES}, its base dir under target/. */
    public static Tomcat newTomcat(String purpose) throws Exception {
        Tomcat tomcat = new Tomcat();
        Path base = Files.createTempDirectory(Files.createDirectories(Path.of("target", "tomcat")), purpose + "-");
        tomcat.setBaseDir(base.toAbsolutePath().toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxHttpHeaderSize", Integer.toString(MAX_REQUEST_HEADER_BYTES));
        tomcat.setConnector(connector);
        tomcat.getHost().setAutoDeploy(false);
        tomcat.getHost().setAppBase(new File(base.toFile(), "webapps").getAbsolutePath());
        return tomcat;
    }

    public static void stop(Tomcat tomcat) throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }
}
