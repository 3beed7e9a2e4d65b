package io.globalgate.store;

/**
 * The database could not answer (down, unreachable, pool exhausted). Callers turn this into a
 * {@code 503}, never into a {@code 401} or a {@code 500}.
 */
public class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
