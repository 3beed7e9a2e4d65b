package io.globalgate.admin.store;

/**
 * A token just created: the only object that ever holds its value. Show {@link #value()} once,
 * then let this object go. {@link #toString()} masks the value so it cannot reach a log by
 * accident.
 */
public record IssuedToken(AccessToken token, String value, Long replaces) {

    @Override
    public String toString() {
        return "IssuedToken[id=" + token.id() + ", hint=" + token.hint() + ", value=<masked>]";
    }
}
