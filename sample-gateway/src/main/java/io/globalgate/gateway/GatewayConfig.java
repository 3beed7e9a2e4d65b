package io.globalgate.gateway;

import io.globalgate.filter.TokenFilterConfig;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sample gateway's options. Each is a flag ({@code --port}) and an environment variable
 * ({@code GLOBALGATE_PORT}); a flag wins over the variable. {@link #parse} refuses unknown flags
 * and impossible values with a message that names the option.
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
        Map<String, String> mail) {

    /** One option: its flag, its variable, its default ("" = none) and what it does. */
    public record Option(String flag, String env, String defaultValue, String help) {
    }

    public static final List<Option> OPTIONS = List.of(
            new Option("--port", "GLOBALGATE_PORT", "8080", "HTTP port (0 = any free port)"),
            new Option("--host", "GLOBALGATE_HOST", "127.0.0.1", "address to listen on (0.0.0.0 = every interface)"),
            new Option("--data-dir", "GLOBALGATE_DATA_DIR", "./globalgate-data", "where the embedded H2 database and the admin password hash live"),
            new Option("--jdbc-url", "GLOBALGATE_JDBC_URL", "", "a MariaDB instead of the embedded H2, e.g. jdbc:mariadb://db:3306/globalgate"),
            new Option("--jdbc-user", "GLOBALGATE_JDBC_USER", "", "database user (with --jdbc-url)"),
            new Option("--jdbc-password", "GLOBALGATE_JDBC_PASSWORD", "", "database password (with --jdbc-url)"),
            new Option("--upstream-url", "GLOBALGATE_UPSTREAM_URL", "", "the Global API to proxy; unset = the built-in demo Global API"),
            new Option("--upstream-timeout", "GLOBALGATE_UPSTREAM_TIMEOUT", "30s", "how long to wait for the upstream before answering 504"),
            new Option("--admin-user", "GLOBALGATE_ADMIN_USER", "admin", "the admin pages' user"),
            new Option("--admin-password", "GLOBALGATE_ADMIN_PASSWORD", "", "the admin password; unset on first start = generated, printed once, kept hashed in the data dir"),
            new Option("--max-token-lifetime", "GLOBALGATE_MAX_TOKEN_LIFETIME", "", "longest lifetime a new token may be given, e.g. 90d; unset = no limit"),
            new Option("--smtp-host", "GLOBALGATE_SMTP_HOST", "", "SMTP server for notification e-mails; unset = .eml files in <data dir>/mail"),
            new Option("--smtp-port", "GLOBALGATE_SMTP_PORT", "587", "SMTP port"),
            new Option("--smtp-security", "GLOBALGATE_SMTP_SECURITY", "starttls", "none, starttls (required) or tls (implicit)"),
            new Option("--smtp-user", "GLOBALGATE_SMTP_USER", "", "SMTP user; unset = no authentication"),
            new Option("--smtp-password", "GLOBALGATE_SMTP_PASSWORD", "", "SMTP password"),
            new Option("--mail-from", "GLOBALGATE_MAIL_FROM", "globalgate@localhost", "sender address of notification e-mails"),
            new Option("--public-url", "GLOBALGATE_PUBLIC_URL", "", "the gateway's URL as its users reach it, for links in e-mails; unset = http://localhost:<port>"));

    /** Gateway options that are admin servlet init-params under another name. */
    private static final Map<String, String> MAIL_PARAMS = Map.of(
            "--smtp-host", "smtpHost", "--smtp-port", "smtpPort", "--smtp-security", "smtpSecurity",
            "--smtp-user", "smtpUser", "--smtp-password", "smtpPassword", "--mail-from", "mailFrom");

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
        StringBuilder sb = new StringBuilder("Usage: java -jar globalgate-gateway.jar [options]\n\n"
                + "Every option can also be given as an environment variable; a flag wins.\n\n");
        for (Option o : OPTIONS) {
            sb.append(String.format("  %-26s %-31s %s%n", o.flag() + " VALUE", o.env(), o.help()));
            sb.append(String.format("  %-26s %-31s default: %s%n", "", "", o.defaultValue().isEmpty() ? "(none)" : o.defaultValue()));
        }
        sb.append(String.format("  %-26s %-31s %s%n", "--help", "", "show this help"));
        return sb.toString();
    }

    public static GatewayConfig parse(String[] args, Map<String, String> env) throws UsageException {
        Map<String, String> values = new LinkedHashMap<>();
        for (Option o : OPTIONS) {
            String fromEnv = env.get(o.env());
            values.put(o.flag(), fromEnv != null ? fromEnv : o.defaultValue());
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!values.containsKey(name)) {
                throw new UsageException("Unknown option " + clip(name) + " (see --help)");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(name + " needs a value");
                }
                value = args[++i];
            }
            values.put(name, value);
        }
        List<String> errors = new ArrayList<>();
        int port = -1;
        try {
            port = Integer.parseInt(values.get("--port").strip());
        } catch (NumberFormatException e) {
            // reported below
        }
        if (port < 0 || port > 65535) {
            errors.add("--port / GLOBALGATE_PORT must be a number from 0 to 65535 (was '" + clip(values.get("--port")) + "')");
        }
        String host = values.get("--host").strip();
        if (host.isEmpty() || !host.matches("[A-Za-z0-9.:\\-\\[\\]]{1,255}")) {
            errors.add("--host / GLOBALGATE_HOST must be a host name or address (was '" + clip(host) + "')");
        }
        String dataDir = values.get("--data-dir").strip();
        if (dataDir.isEmpty()) {
            errors.add("--data-dir / GLOBALGATE_DATA_DIR must not be empty");
        }
        String jdbcUrl = values.get("--jdbc-url").strip();
        if (!jdbcUrl.isEmpty() && !jdbcUrl.startsWith("jdbc:mariadb:") && !jdbcUrl.startsWith("jdbc:mysql:") && !jdbcUrl.startsWith("jdbc:h2:")) {
            errors.add("--jdbc-url / GLOBALGATE_JDBC_URL must be a MariaDB JDBC URL such as jdbc:mariadb://localhost:3306/globalgate (was '"
                    + clip(jdbcUrl) + "')");
        }
        URI upstream = null;
        String upstreamText = values.get("--upstream-url").strip();
        if (!upstreamText.isEmpty()) {
            try {
                upstream = URI.create(upstreamText);
                String scheme = upstream.getScheme() == null ? "" : upstream.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || upstream.getHost() == null
                        || upstream.getRawQuery() != null || upstream.getRawFragment() != null) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                errors.add("--upstream-url / GLOBALGATE_UPSTREAM_URL must be an http(s) URL without query, such as http://erp.internal:9000 (was '"
                        + clip(upstreamText) + "')");
                upstream = null;
            }
        }
        Duration timeout = TokenFilterConfig.parseDuration(values.get("--upstream-timeout"));
        if (timeout == null || timeout.toMillis() < 100 || timeout.compareTo(Duration.ofHours(1)) > 0) {
            errors.add("--upstream-timeout / GLOBALGATE_UPSTREAM_TIMEOUT must be a duration from 100ms to 1h such as 30s (was '"
                    + clip(values.get("--upstream-timeout")) + "')");
        }
        String adminUser = values.get("--admin-user").strip();
        if (!adminUser.matches("[A-Za-z0-9._@-]{1,64}")) {
            errors.add("--admin-user / GLOBALGATE_ADMIN_USER must be 1-64 letters, digits, '.', '_', '@' or '-' (was '" + clip(adminUser) + "')");
        }
        String adminPassword = values.get("--admin-password");
        if (!adminPassword.isEmpty() && (adminPassword.length() < 12 || adminPassword.length() > 200)) {
            errors.add("--admin-password / GLOBALGATE_ADMIN_PASSWORD must be 12 to 200 characters (was " + adminPassword.length() + ")");
        }
        Duration maxLifetime = null;
        String lifetime = values.get("--max-token-lifetime").strip();
        if (!lifetime.isEmpty()) {
            maxLifetime = TokenFilterConfig.parseDuration(lifetime);
            if (maxLifetime == null || maxLifetime.isZero()) {
                errors.add("--max-token-lifetime / GLOBALGATE_MAX_TOKEN_LIFETIME must be a positive duration such as 90d (was '"
                        + clip(lifetime) + "')");
            }
        }
        Map<String, String> mail = new LinkedHashMap<>();
        MAIL_PARAMS.forEach((flag, param) -> mail.put(param, values.get(flag)));
        String publicUrl = values.get("--public-url").strip();
        if (!publicUrl.isEmpty() && !publicUrl.matches("https?://[^\\s\"<>]{1,400}")) {
            errors.add("--public-url / GLOBALGATE_PUBLIC_URL must be an http(s) URL such as https://gateway.example.com (was '" + clip(publicUrl) + "')");
        } else if (port >= 0) {
            String base = publicUrl.isEmpty() ? "http://localhost:" + port : publicUrl;
            mail.put("adminBaseUrl", (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/admin");
        }
        if (values.get("--smtp-host").isBlank()) {
            mail.put("mailDir", Path.of(dataDir.isEmpty() ? "." : dataDir).toAbsolutePath().normalize().resolve("mail").toString());
        }
        try {
            io.globalgate.admin.AdminConfig.fromMap(mail);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage().replace("Globalgate admin configuration refused: ", "");
            for (Map.Entry<String, String> m : MAIL_PARAMS.entrySet()) {
                Option o = OPTIONS.stream().filter(x -> x.flag().equals(m.getKey())).findFirst().orElseThrow();
                message = message.replace(m.getValue() + ":", o.flag() + " / " + o.env() + ":");
            }
            errors.add(message);
        }
        if (!errors.isEmpty()) {
            throw new UsageException(String.join("\n", errors));
        }
        return new GatewayConfig(host, port, Path.of(dataDir).toAbsolutePath().normalize(), jdbcUrl.isEmpty() ? null : jdbcUrl,
                values.get("--jdbc-user"), values.get("--jdbc-password"), upstream, timeout, adminUser,
                adminPassword.isEmpty() ? null : adminPassword, maxLifetime, Map.copyOf(mail));
    }

    /** The admin servlet's init-params: the maximum token lifetime and how notification e-mails leave. */
    public Map<String, String> adminParams() {
        Map<String, String> params = new LinkedHashMap<>(mail);
        if (maxTokenLifetime != null) {
            params.put("maxTokenLifetime", maxTokenLifetime.toString());
        }
        return params;
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
        return jdbcUrl == null ? null : io.globalgate.filter.StoreProvider.redact(jdbcUrl);
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
                + ", adminUser=" + adminUser + ", adminPassword=<masked>, maxTokenLifetime=" + maxTokenLifetime + "]";
    }
}
