package io.globalgate.validation;

import java.util.List;
import java.util.stream.Collectors;

/** Input that was refused before anything was stored; each error names its field. */
public class ValidationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super(errors.stream().map(e -> e.key() + ": " + e.message()).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public ValidationException(String key, String message) {
        this(List.of(new FieldError(key, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
