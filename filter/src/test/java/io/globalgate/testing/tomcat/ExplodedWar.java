package io.globalgate.testing.tomcat;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An exploded web application deployed the way Tomcat deploys one: {@code WEB-INF/web.xml} and
 * {@code META-INF/context.xml} parsed by Tomcat itself, JNDI enabled.
 */
public final class ExplodedWar implements AutoCloseable {

    private final Tomcat tomcat;
    private final URI root;

    private ExplodedWar(Tomcat tomcat, URI root) {
        this.tomcat = tomcat;
        this.root = root;
    }

    /** Copies the two descriptors from the test resources into a new directory under target/ and starts it at {@code contextPath}. */
    public static ExplodedWar deploy(String contextPath, String webXmlResource, String contextXmlResource) throws Exception {
        Path webapp = Files.createTempDirectory(Files.createDirectories(Path.of("target", "war-example")), "webapp-");
        copy(webXmlResource, webapp.resolve("WEB-INF/web.xml"));
        copy(contextXmlResource, webapp.resolve("META-INF/context.xml"));

        Tomcat tomcat = TomcatHarness.newTomcat("war");
        tomcat.enableNaming();
        tomcat.setAddDefaultWebXmlToWebapp(false); // no JSP engine on this classpath
        Context context = tomcat.addWebapp(contextPath, webapp.toAbsolutePath().toString()); // reads META-INF/context.xml
        StandardJarScanner scanner = new StandardJarScanner();
        scanner.setScanClassPath(false); // the test classpath stands in for the server's lib/, not for WEB-INF/lib
        context.setJarScanner(scanner);
        tomcat.start();
        if (!context.getState().isAvailable()) {
            TomcatHarness.stop(tomcat);
            throw new IllegalStateException("Tomcat did not start the web application in " + webapp + ": " + context.getState()
                    + " (its log says why)");
        }
        return new ExplodedWar(tomcat, URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + contextPath + "/"));
    }

    public URI root() {
        return root;
    }

    @Override
    public void close() throws LifecycleException {
        TomcatHarness.stop(tomcat);
    }

    private static void copy(String resource, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = ExplodedWar.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
