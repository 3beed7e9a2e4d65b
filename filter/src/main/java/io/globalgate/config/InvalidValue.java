package io.globalgate.config;

/** A value its option's rule refuses; the message follows the option's name in the refusal. */
public final class InvalidValue extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidValue(String reason) {
        super(reason, null, false, false);
    }
}
