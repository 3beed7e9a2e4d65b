package io.globalgate.admin.store;

/** The action contradicts the current state, e.g. revoking a token that is already revoked. */
public class ConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }
}
