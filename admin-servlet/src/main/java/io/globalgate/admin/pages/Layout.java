package io.globalgate.admin.pages;

/**
 * What every page needs: where the admin is mounted, the session's CSRF token, who is signed
 * in, the title, and a one-time message from the previous action.
 */
public record Layout(String base, String csrf, String user, String title, String flash) {

    public Layout withTitle(String newTitle) {
        return new Layout(base, csrf, user, newTitle, flash);
    }

    public String path(String relative) {
        return base + relative;
    }
}
