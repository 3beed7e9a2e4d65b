package io.globalgate.config;

import java.time.Duration;
import java.util.List;

/**
 * Where the store's database is: the options the filter and the admin servlet share (and the
 * sample gateway, by flag), with the rules between them.
 */
public final class StoreOptions {

    public static final Option<String> DATA_SOURCE = Option.of("dataSource", "", Parsers.text(),
            "JNDI name of a container DataSource, e.g. java:comp/env/jdbc/globalgate");
    public static final Option<String> JDBC_URL = Option.of("jdbcUrl", "", Parsers.jdbcUrl(),
            "or: a JDBC URL, and Globalgate opens its own HikariCP pool").displayedAs(StoreOptions::redact);
    public static final Option<String> JDBC_USER = Option.of("jdbcUser", "", Parsers.text(), "database user, with jdbcUrl");
    public static final Option<String> JDBC_PASSWORD = Option.secret("jdbcPassword", Parsers.text(), "database password, with jdbcUrl");
    public static final Option<Duration> CONNECTION_TIMEOUT = Option.of("connectionTimeout", "2s",
            Parsers.duration(Duration.ofMillis(250), Duration.ofMinutes(1)),
            "how long a request waits for a connection of Globalgate's own pool before 503");

    /** The four ways to the database, as a component lists them (the timeout goes where it reads best). */
    public static final List<Option<?>> LOCATION = List.of(DATA_SOURCE, JDBC_URL, JDBC_USER, JDBC_PASSWORD);

    /** A JNDI name and a URL are two databases; a user or password without a URL would be silently ignored. */
    public static final Rule ONE_DATABASE = (settings, problems) -> {
        if (settings.isSet(DATA_SOURCE) && settings.isSet(JDBC_URL)) {
            problems.refuse("give one of them, not both", DATA_SOURCE, JDBC_URL);
        }
        if (!settings.isSet(JDBC_URL) && (settings.isSet(JDBC_USER) || settings.isSet(JDBC_PASSWORD))) {
            problems.refuse("only used with " + problems.label(JDBC_URL) + ", which is not set", JDBC_USER, JDBC_PASSWORD);
        }
    };

    private StoreOptions() {
    }

    /** A JDBC URL fit for a log line: any password parameter masked. */
    public static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1<masked>");
    }
}
