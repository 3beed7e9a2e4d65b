package io.globalgate.example;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A standalone Tomcat from its distribution archive, with a {@code CATALINA_BASE} of its own: the
 * MariaDB driver in its {@code lib/}, users and roles in {@code conf/tomcat-users.xml}, the
 * database settings in {@code conf/catalina.properties}, the example WAR in {@code webapps/} (and
 * its FORM variant beside it), the manager application for reloads and its leak check. No
 * shutdown port.
 */
final class StandaloneTomcat extends StandaloneContainer {

    static final String MANAGER = "manager";
    static final String MANAGER_PASSWORD = "manager-password-1";

    private static final Pattern PORT = Pattern.compile("\"http-nio-127\\.0\\.0\\.1-auto-\\d+-(\\d+)\"");

    private final Path home;
    private final Path base;

    private StandaloneTomcat(String version, Path home, Path base) {
        super("Tomcat " + version, base, PORT, "Server startup in");
        this.home = home;
        this.base = base;
    }

    static StandaloneTomcat prepare(String version, String jdbcUrl, String jdbcUser, String jdbcPassword) throws IOException {
        Path home = containers().resolve("apache-tomcat-" + version);
        Path base = freshInstance("tomcat-" + version);
        for (String dir : List.of("conf", "lib", "logs", "temp", "webapps", "work", "conf/Catalina/localhost")) {
            Files.createDirectories(base.resolve(dir));
        }
        try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
            for (Path file : conf.filter(Files::isRegularFile).toList()) {
                Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
            }
        }
        String server = Files.readString(base.resolve("conf/server.xml"));
        server = server.replaceFirst("<Server port=\"8005\"", "<Server port=\"-1\"")
                .replaceFirst("<Connector port=\"8080\"", "<Connector port=\"0\" address=\"127.0.0.1\"");
        Files.writeString(base.resolve("conf/server.xml"), server);
        Files.writeString(base.resolve("conf/tomcat-users.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <tomcat-users xmlns="http://tomcat.apache.org/xml" version="1.0">
                  <role rolename="globalgate-admin"/>
                  <role rolename="globalgate-metrics"/>
                  <role rolename="manager-script"/>
                  <user username="%s" password="%s" roles="globalgate-admin"/>
                  <user username="%s" password="%s" roles="viewer"/>
                  <user username="%s" password="%s" roles="globalgate-metrics"/>
                  <user username="%s" password="%s" roles="manager-script"/>
                </tomcat-users>
                """.formatted(ADMIN, ADMIN_PASSWORD, VIEWER, VIEWER_PASSWORD, METRICS, METRICS_PASSWORD, MANAGER, MANAGER_PASSWORD));
        Files.writeString(base.resolve("conf/catalina.properties"), "\n# Globalgate's database (the example's context.xml refers to these)\n"
                + "globalgate.jdbc.url=" + jdbcUrl + "\nglobalgate.jdbc.user=" + jdbcUser + "\nglobalgate.jdbc.password=" + jdbcPassword + "\n",
                StandardOpenOption.APPEND);
        copyDriverInto(base.resolve("lib"));
        Files.writeString(base.resolve("conf/Catalina/localhost/manager.xml"),
                "<Context docBase=\"" + home.resolve("webapps/manager") + "\" privileged=\"true\"/>\n");
        deployExample(base.resolve("webapps"));
        return new StandaloneTomcat(version, home, base);
    }

    @Override
    ProcessBuilder command() {
        home.resolve("bin/catalina.sh").toFile().setExecutable(true);
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/catalina.sh").toString(), "run");
        builder.environment().put("CATALINA_HOME", home.toString());
        builder.environment().put("CATALINA_BASE", base.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("CATALINA_OPTS", "-Xmx256m -XX:+UseSerialGC");
        return builder;
    }
}
