package io.globalgate.admin.store;

import io.globalgate.net.Cidr;
import io.globalgate.net.NetworkList;
import io.globalgate.store.TokenRestrictions;

import java.util.List;

/**
 * Restrictions as the audit log (4000 characters a row) and the owner's message (255) give them,
 * within the room each has: the short facts (scope, rate limit) always whole, the lists shortened
 * to their first entries and how many there are in all when the whole text would not fit. A list
 * of 100 IPv6 networks is about 4,400 characters: cut at the end, the text lost what came after it
 * (a token made read-only, an integration's new rate limit), and the owner was not told.
 */
final class RestrictionText {

    /** The owner's message keeps this much of a detail (the outbox's column). */
    static final int MESSAGE_MAX = 255;
    /** An audit row keeps this much of a detail (the audit log's column). */
    static final int AUDIT_MAX = AuditLog.DETAIL_MAX;

    private static final String NETWORKS = "allowedNetworks=";
    private static final String PREFIXES = ", pathPrefixes=";

    private RestrictionText() {
    }

    /** A token's: {@code allowedNetworks=..., scope=..., pathPrefixes=...} in at most {@code max} characters. */
    static String token(NetworkList networks, TokenRestrictions.Scope scope, List<String> prefixes, int max) {
        String scopePart = ", scope=" + scope.code();
        List<String> nets = texts(networks);
        int room = max - NETWORKS.length() - scopePart.length() - PREFIXES.length();
        String allNets = list(nets, ", ", Integer.MAX_VALUE);
        String allPrefixes = list(prefixes, " ", Integer.MAX_VALUE);
        if (allNets.length() + allPrefixes.length() > room) {
            int half = room / 2;
            if (allNets.length() <= half) {
                allPrefixes = list(prefixes, " ", room - allNets.length());
            } else if (allPrefixes.length() <= half) {
                allNets = list(nets, ", ", room - allPrefixes.length());
            } else {
                allNets = list(nets, ", ", half);
                allPrefixes = list(prefixes, " ", room - half);
            }
        }
        return NETWORKS + allNets + scopePart + PREFIXES + allPrefixes;
    }

    /** An integration's: {@code allowedNetworks=..., rateLimit=...} in at most {@code max} characters. */
    static String integration(NetworkList networks, TokenRestrictions.RateLimit rateLimit, int max) {
        String limitPart = ", rateLimit=" + (rateLimit == null ? "deployment default"
                : rateLimit.requestsPerMinute() + "/min, burst " + rateLimit.burst());
        return NETWORKS + list(texts(networks), ", ", max - NETWORKS.length() - limitPart.length()) + limitPart;
    }

    private static List<String> texts(NetworkList networks) {
        return networks.networks().stream().map(Cidr::toString).toList();
    }

    /**
     * {@code any} for none; the entries joined when they fit in {@code room}; else as many of the
     * first as fit before {@code … (N in all)}.
     */
    static String list(List<String> items, String separator, int room) {
        if (items.isEmpty()) {
            return "any";
        }
        String all = String.join(separator, items);
        if (all.length() <= room) {
            return all;
        }
        String tail = "… (" + items.size() + " in all)";
        StringBuilder out = new StringBuilder();
        for (String item : items) {
            int grown = out.length() + (out.length() == 0 ? 0 : separator.length()) + item.length();
            if (grown + separator.length() + tail.length() > room) {
                break;
            }
            out.append(out.length() == 0 ? "" : separator).append(item);
        }
        return out.length() == 0 ? tail : out + separator + tail;
    }
}
