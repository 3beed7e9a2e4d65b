package io.globalgate.gateway;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;

/**
 * Answers {@code 415} to a request whose {@code Content-Type} names a charset this JVM does not
 * know ({@code application/json; charset=x-bogus}). Jetty's servlet request throws from
 * {@code getContentType()} for such a request, so without this guard any servlet that asks for it
 * answered {@code 500}.
 */
final class UnknownCharsetGuard extends Handler.Wrapper {

    UnknownCharsetGuard(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type != null && !knownCharset(type)) {
            Response.writeError(request, response, callback, 415);
            return true;
        }
        return super.handle(request, response, callback);
    }

    static boolean knownCharset(String contentType) {
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param[0].strip().equalsIgnoreCase("charset")) {
                String name = param.length < 2 ? "" : param[1].strip().replace("\"", "");
                try {
                    if (name.isEmpty() || !Charset.isSupported(name)) {
                        return false;
                    }
                } catch (IllegalCharsetNameException e) {
                    return false;
                }
            }
        }
        return true;
    }
}
