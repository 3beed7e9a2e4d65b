package io.globalgate.validation;

/** One refused input: the field's key as the API and the forms name it, and why. */
public record FieldError(String key, String message) {
}
