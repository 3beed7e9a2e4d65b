package io.globalgate.admin.pages;

/** A refusal or failure, in words for a person. */
public record ErrorPage(Layout layout, int status, String message) {
}
