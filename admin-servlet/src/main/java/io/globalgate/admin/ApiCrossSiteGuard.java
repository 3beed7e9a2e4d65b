package io.globalgate.admin;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Collections;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses a state-changing JSON API call that a browser could have sent from another site. A
 * browser that holds HTTP Basic credentials for the gateway sends them with any request to it,
 * including a body-less {@code POST} from another site's form or a sandboxed iframe's
 * ({@code Origin: null}); such a call must not revoke or regenerate a token. Browsers say where a
 * request comes from in {@code Origin} and {@code Sec-Fetch-Site}; scripts (curl, HTTP client
 * libraries) send neither and are not affected.
 *
 * <p>Unlike the pages, whose own forms go out with {@code Origin: null} under our
 * {@code Referrer-Policy: no-referrer} and are protected by their form token, the API has no
 * token of its own and no page of ours calls it, so {@code null} is refused here.
 */
final class ApiCrossSiteGuard {

    /** Methods that change nothing: a cross-site page cannot read their answer without CORS, which we never grant. */
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    /** What browsers send for a request that comes from our own origin, or from the user (address bar, bookmark). */
    private static final Set<String> OWN_FETCH_SITES = Set.of("same-origin", "none");

    /** Why the call is refused, or null when it may go on. */
    static String refusal(HttpServletRequest request) {
        if (SAFE_METHODS.contains(request.getMethod())) {
            return null;
        }
        for (String site : Collections.list(request.getHeaders("Sec-Fetch-Site"))) {
            if (!OWN_FETCH_SITES.contains(site.strip().toLowerCase(Locale.ROOT))) {
                return "Requests from another site are not accepted by the Globalgate API (Sec-Fetch-Site is not same-origin); "
                        + "call it from a script, which sends no Sec-Fetch-Site";
            }
        }
        String own = CsrfGuard.ownOrigin(request);
        for (String origin : Collections.list(request.getHeaders("Origin"))) {
            if (!origin.toLowerCase(Locale.ROOT).equals(own)) {
                return "Requests from another origin are not accepted by the Globalgate API (Origin is not " + own
                        + "); call it from a script, which sends no Origin";
            }
        }
        return null;
    }

    private ApiCrossSiteGuard() {
    }
}
