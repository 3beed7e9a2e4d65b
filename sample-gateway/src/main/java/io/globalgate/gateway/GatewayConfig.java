package io.globalgate.gateway;

import io.globalgate.admin.AdminOptions;
import io.globalgate.admin.PublicLeakOptions;
import io.globalgate.config.InvalidConfiguration;
import io.globalgate.config.InvalidValue;
import io.globalgate.config.Labels;
import io.globalgate.config.Option;
import io.globalgate.config.OptionSet;
import io.globalgate.config.Parsers;
import io.globalgate.config.Rule;
import io.globalgate.config.Settings;
import io.globalgate.config.StoreOptions;
import io.globalgate.filter.FilterOptions;
import io.globalgate.net.ClientAddress;
import io.globalgate.net.NetworkList;

import java.io.IOException;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sample gateway's options. Each is a flag ({@code --port}), an environment variable
 * ({@code GLOBALGATE_PORT}) and a line of the configuration file ({@code port = 8080}, see
 * {@link ConfigFile}); a flag wins over the variable, the variable over the file. {@link #parse}
 * refuses unknown flags and impossible values with a message that names the option.
 */
public record GatewayConfig(
        String host,
        int port,
        Path dataDir,
        String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        URI upstreamUrl,
        Duration upstreamTimeout,
        String adminUser,
        String adminPassword,
        Duration maxTokenLifetime,
        Map<String, String> admin,
        NetworkList trustedProxies,
        Map<String, String> filter,
        String managementHost,
        int managementPort,
        String secureCookies,
        int maxThreads,
        Duration idleTimeout,
        int minRequestDataRate,
        Duration requestHeadTimeout,
        int maxConnectionsPerAddress,
        Path secretScanningKeys,
        Map<String, String> revokeByValue) {

    public static final Option<String> CONFIG = Option.of("config", "", text -> {
        if (text.isEmpty()) {
            throw new InvalidValue("must not be empty");
        }
        return text;
    }, "a configuration file of name = value lines, read at start; variables and flags win over it");
    public static final Option<Integer> PORT = Option.of("port", "8080",
            Parsers.wholeNumber(0, 65535, "must be a number from 0 to 65535"), "HTTP port (0 = any free port)");
    public static final Option<String> HOST = Option.of("host", "127.0.0.1",
            Parsers.matching("[A-Za-z0-9.:\\-\\[\\]]{1,255}", "must be a host name or address"),
            "address to listen on (0.0.0.0 = every interface)");
    public static final Option<String> DATA_DIR = Option.of("dataDir", "./globalgate-data", text -> {
        if (text.isEmpty()) {
            throw new InvalidValue("must not be empty");
        }
        return text;
    }, "where the embedded H2 database and the admin password hash live");
    public static final Option<String> JDBC_URL = StoreOptions.JDBC_URL.parsedBy(text -> {
        // The gateway ships these drivers only.
        if (!text.startsWith("jdbc:mariadb:") && !text.startsWith("jdbc:mysql:") && !text.startsWith("jdbc:h2:")) {
            throw Parsers.refuse("must be a MariaDB JDBC URL such as jdbc:mariadb://localhost:3306/globalgate", text);
        }
        return text;
    }).describedAs("a MariaDB instead of the embedded H2, e.g. jdbc:mariadb://db:3306/globalgate");
    public static final Option<String> JDBC_USER = StoreOptions.JDBC_USER.describedAs("database user (with --jdbc-url)");
    public static final Option<String> JDBC_PASSWORD = StoreOptions.JDBC_PASSWORD.describedAs("database password (with --jdbc-url)");
    public static final Option<URI> UPSTREAM_URL = Option.of("upstreamUrl", "", GatewayConfig::upstream,
            "the Global API to proxy; unset = the built-in demo Global API");
    public static final Option<Duration> UPSTREAM_TIMEOUT = Option.of("upstreamTimeout", "30s",
            Parsers.duration(Duration.ofMillis(100), Duration.ofHours(1), "must be a duration from 100ms to 1h such as 30s"),
            "how long to wait for the upstream before answering 504");
    public static final Option<String> ADMIN_USER = Option.of("adminUser", "admin",
            Parsers.matching("[A-Za-z0-9._@-]{1,64}", "must be 1-64 letters, digits, '.', '_', '@' or '-'"), "the admin pages' user");
    public static final Option<String> ADMIN_PASSWORD = Option.secret("adminPassword", text -> {
        if (text.length() < 12 || text.length() > 200) {
            throw Parsers.refuse("must be 12 to 200 characters", text);
        }
        return text;
    }, "the admin password; unset on first start = generated, printed once, kept hashed in the data dir");
    public static final Option<String> PUBLIC_URL = Option.of("publicUrl", "",
            Parsers.matching("https?://[^\\s\"<>]{1,400}", "must be an http(s) URL such as https://gateway.example.com"),
            "the gateway's URL as its users reach it, for links in e-mails; unset = http://localhost:<port>");

    public static final Option<NetworkList> TRUSTED_PROXIES = ClientAddress.TRUSTED_PROXIES.describedAs(
            "networks of proxies in front of the gateway (e.g. 10.0.0.0/8,192.0.2.7) whose X-Forwarded-For/Forwarded are believed;"
                    + " unset = none: the client is the peer, and its forwarding headers are replaced");
    public static final Option<Integer> RATE_LIMIT_PER_MINUTE = FilterOptions.RATE_LIMIT_PER_MINUTE.describedAs(
            "the rate limit of an integration without its own, in requests per minute on this node (each node counts its own);"
                    + " 0 = none");
    public static final Option<Integer> RATE_LIMIT_BURST = FilterOptions.RATE_LIMIT_BURST.parsedBy(Parsers.wholeNumber(0,
            FilterOptions.MAX_RATE, "must be a whole number from 0 (as many as --rate-limit-per-minute) to " + FilterOptions.MAX_RATE)).describedAs(
            "the most requests that default allows at once; 0 = as many as --rate-limit-per-minute");
    public static final Option<String> MANAGEMENT_HOST = Option.of("managementHost", "127.0.0.1",
            Parsers.matching("[A-Za-z0-9.:\\-\\[\\]]{1,255}", "must be a host name or address"),
            "address of the management listener (/metrics, /health); keep it off the public network");
    public static final Option<Integer> MANAGEMENT_PORT = Option.of("managementPort", "9000",
            Parsers.wholeNumber(0, 65535, "must be a number from 0 to 65535"), "port of the management listener (0 = any free port)");
    public static final Option<String> ADMIN_PASSWORD_FILE = Option.of("adminPasswordFile", "", GatewayConfig::readableFile,
            "a file holding the admin password (instead of --admin-password, which shows in ps)");
    public static final Option<String> JDBC_PASSWORD_FILE = Option.of("jdbcPasswordFile", "", GatewayConfig::readableFile,
            "a file holding the database password (instead of --jdbc-password)");
    public static final Option<String> SMTP_PASSWORD_FILE = Option.of("smtpPasswordFile", "", GatewayConfig::readableFile,
            "a file holding the SMTP password (instead of --smtp-password)");
    public static final Option<String> SECURE_COOKIES = Option.of("secureCookies", "auto",
            Parsers.oneOf("must be auto, always or never", "auto", "always", "never"),
            "mark the session cookie Secure: auto = when the request came over HTTPS; always = behind a TLS proxy");

    public static final Option<Integer> MAX_THREADS = Option.of("maxThreads", "200",
            Parsers.wholeNumber(16, 10_000, "must be a number from 16 to 10000"), "most threads serving requests (both listeners)");
    public static final Option<Duration> IDLE_TIMEOUT = Option.of("idleTimeout", "30s",
            Parsers.duration(Duration.ofMillis(500), Duration.ofHours(1), "must be a duration from 500ms to 1h such as 30s"),
            "a connection silent this long is closed (raised to the upstream timeout + 1s when shorter)");
    public static final Option<Integer> MIN_REQUEST_DATA_RATE = Option.of("minRequestDataRate", "1024",
            Parsers.wholeNumber(0, 100_000_000, "must be a number of bytes per second from 0 to 100000000"),
            "bytes per second a request body must average from its first byte, else 408 and the connection closed (0 = no minimum)");
    public static final Option<Duration> REQUEST_HEAD_TIMEOUT = Option.of("requestHeadTimeout", "10s",
            Parsers.duration(Duration.ofMillis(500), Duration.ofHours(1), "must be a duration from 500ms to 1h such as 10s"),
            "a request head (request line and headers) not whole this long after its first byte closes the connection");
    public static final Option<Integer> MAX_CONNECTIONS_PER_ADDRESS = Option.of("maxConnectionsPerAddress", "100",
            Parsers.wholeNumber(0, 1_000_000, "must be a number from 0 to 1000000"),
            "connections one client address may have open at once on the public port, further ones closed at once"
                    + " (IPv6 by its /64; --trusted-proxies not limited; 0 = no limit)");
    public static final Option<String> SECRET_SCANNING_KEYS = Option.of("secretScanningKeys", "", GatewayConfig::readableFile,
            "GitHub's secret scanning public keys (a copy of api.github.com/meta/public_keys/secret_scanning), read again when"
                    + " changed; unset = POST /public/v1/secret-scanning/github answers 404");

    public static final Option<Duration> MAX_TOKEN_LIFETIME = AdminOptions.MAX_TOKEN_LIFETIME
            .describedAs("longest lifetime a new token may be given, e.g. 90d; unset = no limit");
    public static final Option<String> SMTP_HOST = AdminOptions.SMTP_HOST
            .describedAs("SMTP server for notification e-mails; unset = .eml files in <data dir>/mail");

    /** The admin servlet's options that the gateway offers under its own flags, passed on by init-param name. */
    private static final List<Option<?>> ADMIN_OPTIONS = List.of(
            MAX_TOKEN_LIFETIME, SMTP_HOST, AdminOptions.SMTP_PORT, AdminOptions.SMTP_SECURITY,
            AdminOptions.SMTP_USER, AdminOptions.SMTP_PASSWORD, AdminOptions.MAIL_FROM, AdminOptions.REVOKE_UNUSED_AFTER_DAYS,
            AdminOptions.UNUSED_REMINDER_DAYS);

    /** The filter's options that the gateway offers under its own flags, passed on by init-param name. */
    private static final List<Option<?>> FILTER_OPTIONS = List.of(RATE_LIMIT_PER_MINUTE, RATE_LIMIT_BURST);

    /** Every option, in the order of the README's table and of {@code --help}. */
    public static final List<Option<?>> OPTIONS = List.of(CONFIG, PORT, HOST, DATA_DIR, JDBC_URL, JDBC_USER, JDBC_PASSWORD, UPSTREAM_URL,
            UPSTREAM_TIMEOUT, ADMIN_USER, ADMIN_PASSWORD,
            MAX_TOKEN_LIFETIME, SMTP_HOST, AdminOptions.SMTP_PORT, AdminOptions.SMTP_SECURITY, AdminOptions.SMTP_USER, AdminOptions.SMTP_PASSWORD,
            AdminOptions.MAIL_FROM, PUBLIC_URL, TRUSTED_PROXIES, RATE_LIMIT_PER_MINUTE, RATE_LIMIT_BURST, MANAGEMENT_HOST, MANAGEMENT_PORT, ADMIN_PASSWORD_FILE, JDBC_PASSWORD_FILE,
            SMTP_PASSWORD_FILE, SECURE_COOKIES, MAX_THREADS, IDLE_TIMEOUT, MIN_REQUEST_DATA_RATE, REQUEST_HEAD_TIMEOUT, MAX_CONNECTIONS_PER_ADDRESS,
            SECRET_SCANNING_KEYS,
            PublicLeakOptions.REVOKE_BY_VALUE_BURST, PublicLeakOptions.REVOKE_BY_VALUE_PER_MINUTE, AdminOptions.REVOKE_UNUSED_AFTER_DAYS, AdminOptions.UNUSED_REMINDER_DAYS);

    /** A password is given on the command line (or in the environment) or in a file, not both. */
    private static final Rule ONE_PASSWORD_SOURCE = (settings, problems) -> {
        List<List<Option<?>>> pairs = List.of(List.of(ADMIN_PASSWORD, ADMIN_PASSWORD_FILE), List.of(JDBC_PASSWORD, JDBC_PASSWORD_FILE),
                List.of(AdminOptions.SMTP_PASSWORD, SMTP_PASSWORD_FILE));
        for (List<Option<?>> pair : pairs) {
            if (settings.isSet(pair.get(0)) && settings.isSet(pair.get(1))) {
                problems.refuse("give one of them, not both", pair.get(0), pair.get(1));
            }
        }
        if (!settings.isSet(JDBC_URL) && settings.isSet(JDBC_PASSWORD_FILE)) {
            problems.refuse("only used with " + problems.label(JDBC_URL) + ", which is not set", JDBC_PASSWORD_FILE);
        }
    };

    private static final OptionSet SCHEMA = OptionSet.of(OPTIONS, List.of(StoreOptions.ONE_DATABASE, ONE_PASSWORD_SOURCE,
            FilterOptions.BURST_NEEDS_A_RATE, AdminOptions.REMINDER_BEFORE_REVOCATION));

    /** Thrown for bad options; the message is for the person who typed them. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    public static boolean wantsHelp(String[] args) {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    public static String help() {
        StringBuilder sb = new StringBuilder("Usage: bin/globalgate [options]   (or: java -jar globalgate-gateway.jar [options])\n\n"
                + "Every option can also be given as an environment variable, and every option but --config\n"
                + "as a line of the configuration file (port = 8080). A flag wins over a variable, a variable\n"
                + "over the file.\n\n");
        for (Option<?> o : OPTIONS) {
            sb.append(String.format("  %-26s %-31s %s%n", o.flag() + " VALUE", o.env(), o.description()));
            sb.append(String.format("  %-26s %-31s default: %s%n", "", "", o.defaultValue().isEmpty() ? "(none)" : o.defaultValue()));
        }
        sb.append(String.format("  %-26s %-31s %s%n", "--help", "", "show this help"));
        return sb.toString();
    }

    public static GatewayConfig parse(String[] args, Map<String, String> env) throws UsageException {
        Map<String, String> given = new LinkedHashMap<>();
        for (Option<?> o : OPTIONS) {
            String fromEnv = env.get(o.env());
            if (fromEnv != null) {
                given.put(o.name(), fromEnv);
            }
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String flag = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                flag = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            String name = flag;
            Option<?> option = OPTIONS.stream().filter(o -> o.flag().equals(name)).findFirst().orElse(null);
            if (option == null) {
                throw new UsageException("Unknown option " + clip(flag) + " (see --help)");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(flag + " needs a value");
                }
                value = args[++i];
            }
            given.put(option.name(), value);
        }
        Labels labels = Labels.BY_FLAG_AND_VARIABLE;
        String configFile = given.get(CONFIG.name());
        if (configFile != null && !configFile.isBlank()) {
            // The file is the lowest layer: a variable or a flag of the same option wins over it.
            Map<String, String> fromFile = new LinkedHashMap<>();
            Path file;
            try {
                file = Path.of(configFile.strip());
            } catch (InvalidPathException e) {
                throw new UsageException(Labels.BY_FLAG_AND_VARIABLE.of(CONFIG) + " " + Parsers.refuse("must be a file name", configFile).getMessage());
            }
            ConfigFile.read(file, OPTIONS, CONFIG).forEach((name, entry) -> {
                if (!given.containsKey(name)) {
                    given.put(name, entry.value());
                    fromFile.put(name, entry.where());
                }
            });
            labels = new Labels(o -> fromFile.getOrDefault(o.name(), Labels.BY_FLAG_AND_VARIABLE.of(o)), " ");
        }
        Settings s;
        try {
            s = SCHEMA.read(given, labels);
        } catch (InvalidConfiguration e) {
            throw new UsageException(String.join("\n", e.problems()));
        }
        String adminPassword = s.get(ADMIN_PASSWORD);
        String jdbcPassword = s.text(JDBC_PASSWORD);
        if (s.isSet(ADMIN_PASSWORD_FILE)) {
            adminPassword = secretFrom(s.get(ADMIN_PASSWORD_FILE), ADMIN_PASSWORD_FILE, ADMIN_PASSWORD);
        }
        if (s.isSet(JDBC_PASSWORD_FILE)) {
            jdbcPassword = secretFrom(s.get(JDBC_PASSWORD_FILE), JDBC_PASSWORD_FILE, JDBC_PASSWORD);
        }
        int port = s.get(PORT);
        Path dataDir = Path.of(s.get(DATA_DIR)).toAbsolutePath().normalize();
        Map<String, String> admin = new LinkedHashMap<>();
        for (Option<?> o : ADMIN_OPTIONS) {
            if (s.isSet(o)) {
                admin.put(o.name(), s.text(o));
            }
        }
        if (s.isSet(SMTP_PASSWORD_FILE)) {
            admin.put(AdminOptions.SMTP_PASSWORD.name(), secretFrom(s.get(SMTP_PASSWORD_FILE), SMTP_PASSWORD_FILE, AdminOptions.SMTP_PASSWORD));
        }
        Map<String, String> filter = new LinkedHashMap<>();
        for (Option<?> o : FILTER_OPTIONS) {
            if (s.isSet(o)) {
                filter.put(o.name(), s.text(o));
            }
        }
        Map<String, String> revokeByValue = new LinkedHashMap<>();
        for (Option<?> o : List.of(PublicLeakOptions.REVOKE_BY_VALUE_PER_MINUTE, PublicLeakOptions.REVOKE_BY_VALUE_BURST)) {
            if (s.isSet(o)) {
                revokeByValue.put(o.name(), s.text(o));
            }
        }
        String base = s.isSet(PUBLIC_URL) ? s.get(PUBLIC_URL) : "http://localhost:" + port;
        admin.put(AdminOptions.ADMIN_BASE_URL.name(), (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/admin");
        if (!s.isSet(SMTP_HOST)) {
            admin.put(AdminOptions.MAIL_DIR.name(), dataDir.resolve("mail").toString());
        }
        return new GatewayConfig(s.get(HOST), port, dataDir, s.get(JDBC_URL), s.text(JDBC_USER), jdbcPassword,
                s.get(UPSTREAM_URL), s.get(UPSTREAM_TIMEOUT), s.get(ADMIN_USER), adminPassword,
                s.get(MAX_TOKEN_LIFETIME), Map.copyOf(admin),
                s.isSet(TRUSTED_PROXIES) ? s.get(TRUSTED_PROXIES) : NetworkList.empty(), Map.copyOf(filter), s.get(MANAGEMENT_HOST), s.get(MANAGEMENT_PORT), s.get(SECURE_COOKIES),
                s.get(MAX_THREADS), s.get(IDLE_TIMEOUT), s.get(MIN_REQUEST_DATA_RATE), s.get(REQUEST_HEAD_TIMEOUT),
                s.get(MAX_CONNECTIONS_PER_ADDRESS),
                s.isSet(SECRET_SCANNING_KEYS) ? Path.of(s.get(SECRET_SCANNING_KEYS)).toAbsolutePath().normalize() : null,
                Map.copyOf(revokeByValue));
    }

    private static String readableFile(String text) {
        if (text.isEmpty() || text.indexOf('\0') >= 0) {
            throw new InvalidValue("must be the path of a readable file");
        }
        return text;
    }

    /**
     * The secret in a password file: its first line, without the line end. It must pass the rule
     * of the option it stands for; a refusal names the file and the length, never the text.
     */
    private static String secretFrom(String file, Option<?> fileOption, Option<?> secretOption) throws UsageException {
        String label = fileOption.flag() + " / " + fileOption.env();
        String content;
        try {
            byte[] bytes = Files.readAllBytes(Path.of(file));
            if (bytes.length > 4096) {
                throw new UsageException(label + " must be a file of at most 4096 bytes (" + clip(file) + " has " + bytes.length + ")");
            }
            content = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException | InvalidPathException e) {
            throw new UsageException(label + " cannot be read: " + clip(file));
        }
        int end = content.indexOf('\n');
        String secret = (end < 0 ? content : content.substring(0, end)).replaceAll("\r$", "");
        if (secret.isEmpty()) {
            throw new UsageException(label + " holds no password on its first line: " + clip(file));
        }
        if (secretOption == ADMIN_PASSWORD && (secret.length() < 12 || secret.length() > 200)) {
            throw new UsageException(label + ": the password in " + clip(file) + " must be 12 to 200 characters (it has "
                    + secret.length() + ")");
        }
        return secret;
    }

    private static URI upstream(String text) {
        try {
            URI uri = URI.create(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw Parsers.refuse("must be an http(s) URL without query, such as http://erp.internal:9000", text);
    }

    /** The admin servlet's init-params: the maximum token lifetime and how notification e-mails leave. */
    public Map<String, String> adminParams() {
        return admin;
    }

    /** The filter's init-params besides its store and trusted proxies: the deployment's default rate limit. */
    /** The public endpoints' options ({@link PublicLeakOptions} names): the keys file, the trusted proxies, the revocation limit. */
    public Map<String, String> publicLeakParams() {
        Map<String, String> params = new LinkedHashMap<>(revokeByValue);
        if (secretScanningKeys != null) {
            params.put(PublicLeakOptions.SECRET_SCANNING_KEYS.name(), secretScanningKeys.toString());
        }
        if (!trustedProxies.isEmpty()) {
            params.put(ClientAddress.TRUSTED_PROXIES.name(), trustedProxies.toString());
        }
        return params;
    }

    public Map<String, String> filterParams() {
        return filter;
    }

    public boolean embeddedDatabase() {
        return jdbcUrl == null;
    }

    /** The JDBC URL in use: the embedded H2 file database in the data dir unless a MariaDB is given. */
    public String effectiveJdbcUrl() {
        if (jdbcUrl != null) {
            return jdbcUrl;
        }
        return "jdbc:h2:file:" + dataDir.resolve("globalgate").toString().replace('\\', '/')
                + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE";
    }

    /** The JDBC URL with any {@code password=} in it masked, for logs and messages. */
    public String maskedJdbcUrl() {
        return jdbcUrl == null ? null : StoreOptions.redact(jdbcUrl);
    }

    private static String clip(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    @Override
    public String toString() {
        return "GatewayConfig[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", jdbcUrl=" + maskedJdbcUrl()
                + ", jdbcUser=" + jdbcUser + ", jdbcPassword=<masked>, upstreamUrl=" + upstreamUrl + ", upstreamTimeout=" + upstreamTimeout
                + ", adminUser=" + adminUser + ", adminPassword=<masked>, maxTokenLifetime=" + maxTokenLifetime
                + ", trustedProxies=" + trustedProxies + ", filter=" + filter + "]";
    }
}
