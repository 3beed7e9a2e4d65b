package io.globalgate.admin;

import io.globalgate.config.InvalidValue;
import io.globalgate.config.Option;
import io.globalgate.config.OptionSet;
import io.globalgate.config.Parsers;
import io.globalgate.config.StoreOptions;
import io.globalgate.net.ClientAddress;

import java.util.List;

/**
 * {@link PublicLeakServlet}'s options ({@code web.xml} init-params, or the map given in code), each
 * declared once; the README's table of the public endpoints lists them, and the sample gateway
 * offers them under its own flags.
 */
public final class PublicLeakOptions {

    public static final Option<String> SECRET_SCANNING_KEYS = Option.of("secretScanningKeys", "", text -> {
        if (text.isEmpty() || text.indexOf('\0') >= 0) {
            throw new InvalidValue("must be the path of a readable file");
        }
        return text;
    }, "GitHub's secret scanning public keys file; unset = POST <mount>/secret-scanning/github answers 404");
    public static final Option<Integer> REVOKE_BY_VALUE_PER_MINUTE = Option.of("revokeByValuePerMinute", "10",
            Parsers.wholeNumber(1, 60_000, "must be a whole number from 1 to 60000"),
            "revocation-by-value requests each client address may make per minute, after its burst");
    public static final Option<Integer> REVOKE_BY_VALUE_BURST = Option.of("revokeByValueBurst", "10",
            Parsers.wholeNumber(1, 10_000, "must be a whole number from 1 to 10000"),
            "revocation-by-value requests a client address may make at once");

    public static final OptionSet ALL = OptionSet.of(List.of(SECRET_SCANNING_KEYS, ClientAddress.TRUSTED_PROXIES,
            REVOKE_BY_VALUE_PER_MINUTE, REVOKE_BY_VALUE_BURST, StoreOptions.DATA_SOURCE, StoreOptions.JDBC_URL, StoreOptions.JDBC_USER,
            StoreOptions.JDBC_PASSWORD, StoreOptions.CONNECTION_TIMEOUT), List.of(StoreOptions.ONE_DATABASE));

    private PublicLeakOptions() {
    }
}
