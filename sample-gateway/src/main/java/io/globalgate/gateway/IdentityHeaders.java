package io.globalgate.gateway;

import java.util.Locale;

/**
 * The gateway's own identity headers ({@code X-Globalgate-*}) and every spelling an upstream
 * could read as one of them: CGI, WSGI and PHP turn {@code -} into {@code _} and ignore case, so
 * {@code X_Globalgate_Integration_Id} is {@code X-Globalgate-Integration-Id} to them. A client
 * header in any such spelling is dropped; only the gateway sets these.
 */
final class IdentityHeaders {

    static final String PREFIX = "x-globalgate-";

    private IdentityHeaders() {
    }

    /** The name as CGI-style readers see it: lower case, {@code _} and {@code .} as {@code -}, surrounding space gone. */
    static String normalise(String name) {
        return name.strip().toLowerCase(Locale.ROOT).replace('_', '-').replace('.', '-');
    }

    /** Whether a client header of this name could be read as one of the gateway's identity headers. */
    static boolean spoofs(String name) {
        return normalise(name).startsWith(PREFIX);
    }
}
