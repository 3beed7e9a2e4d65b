package io.globalgate.admin.store;

import io.globalgate.validation.ValidationException;

import java.util.ArrayList;
import java.util.List;

/**
 * The order of a grid, as its {@code sort} query parameter writes it: a key of the grid's
 * allowlist, descending when it starts with {@code -} ({@code -created}). Only the stores turn a key
 * into SQL, each from its own fixed clauses; what a request sends is never part of a statement.
 */
public record Sort(String key, boolean descending) {

    /** The keys of the Access Tokens grid, in the order a choice offers them. */
    public static final List<String> TOKEN_KEYS = List.of("name", "created", "expires", "lastUsed", "status");
    /** Newest first. */
    public static final Sort TOKEN_DEFAULT = new Sort("created", true);
    /** The keys of the Global Integrations grid. */
    public static final List<String> INTEGRATION_KEYS = List.of("name", "created", "active");
    /** By name, A to Z. */
    public static final Sort INTEGRATION_DEFAULT = new Sort("name", false);

    /**
     * The order {@code raw} names among {@code keys}, or {@code otherwise} when it is absent or blank.
     *
     * @throws ValidationException naming every value allowed, when {@code raw} is not one of them
     */
    public static Sort parse(String raw, List<String> keys, Sort otherwise) {
        if (raw == null || raw.isBlank()) {
            return otherwise;
        }
        String value = raw.strip();
        boolean descending = value.startsWith("-");
        String key = descending ? value.substring(1) : value;
        if (!keys.contains(key)) {
            throw new ValidationException("sort", "must be one of " + String.join(", ", allowed(keys)));
        }
        return new Sort(key, descending);
    }

    /** Every value {@code sort} may take for a grid of these keys. */
    public static List<String> allowed(List<String> keys) {
        List<String> values = new ArrayList<>();
        for (String key : keys) {
            values.add(key);
            values.add("-" + key);
        }
        return values;
    }

    /** As the query parameter writes it. */
    public String code() {
        return (descending ? "-" : "") + key;
    }

    /** {@code ASC} or {@code DESC}, for the store's own clauses. */
    String direction() {
        return descending ? "DESC" : "ASC";
    }
}
