package io.globalgate.admin.pages;

import io.globalgate.admin.store.Integration;

import java.util.List;

/**
 * The Global Integrations grid, searched by {@code query}, narrowed by {@code active} ({@code yes},
 * {@code no}, or empty) and sorted as {@code sorting} says.
 */
public record IntegrationsPage(Layout layout, List<Integration> items, Paging paging, String query, String active, Sorting sorting) {

    public boolean filtered() {
        return !query.isEmpty() || !active.isEmpty();
    }
}
