package io.globalgate.admin;

import io.globalgate.validation.FieldError;

import java.util.List;

/** A refusal of the JSON API that is not a store exception: bad media type, bad JSON, too large. */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;
    final String type;
    final transient List<FieldError> details;

    ApiException(int status, String type, String message) {
        this(status, type, message, List.of());
    }

    ApiException(int status, String type, String message, List<FieldError> details) {
        super(message);
        this.status = status;
        this.type = type;
        this.details = details;
    }
}
