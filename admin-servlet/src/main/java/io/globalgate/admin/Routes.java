package io.globalgate.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A route table: each path pattern once, and for each of its methods the one method of the
 * handler that serves it. {@code {id}} in a pattern is a numeric id of at most 18 digits (it
 * always fits a {@code long}), handed to the endpoint in its {@link Call}.
 */
final class Routes {

    /** One request as an endpoint sees it; {@code id} is the path's {@code {id}}, or 0 when it has none. */
    record Call(HttpServletRequest request, HttpServletResponse response, String actor, long id) {
    }

    @FunctionalInterface
    interface Endpoint {
        void handle(Call call) throws IOException;
    }

    /** What a method and a path lead to. */
    sealed interface Match permits Found, WrongMethod, NotFound {
    }

    record Found(Endpoint endpoint, long id) implements Match {
    }

    /** The path is known, the method is not one of {@code allowed}. */
    record WrongMethod(List<String> allowed) implements Match {
    }

    record NotFound() implements Match {
    }

    private record Path(Pattern pattern, Map<String, Endpoint> byMethod) {
    }

    private final List<Path> paths = new ArrayList<>();

    /** The methods of {@code pattern}, added with {@link Methods#on}. */
    Methods path(String pattern) {
        Path path = new Path(Pattern.compile(Pattern.quote(pattern).replace("{id}", "\\E(\\d{1,18})\\Q")), new LinkedHashMap<>());
        paths.add(path);
        return new Methods(path.byMethod());
    }

    static final class Methods {
        private final Map<String, Endpoint> byMethod;

        private Methods(Map<String, Endpoint> byMethod) {
            this.byMethod = byMethod;
        }

        Methods on(String method, Endpoint endpoint) {
            if (byMethod.put(method, endpoint) != null) {
                throw new IllegalStateException(method + " is routed twice");
            }
            return this;
        }
    }

    Match match(String method, String path) {
        for (Path candidate : paths) {
            Matcher m = candidate.pattern().matcher(path);
            if (m.matches()) {
                Endpoint endpoint = candidate.byMethod().get(method);
                if (endpoint == null) {
                    return new WrongMethod(List.copyOf(candidate.byMethod().keySet()));
                }
                return new Found(endpoint, m.groupCount() > 0 ? Long.parseLong(m.group(1)) : 0);
            }
        }
        return new NotFound();
    }
}
