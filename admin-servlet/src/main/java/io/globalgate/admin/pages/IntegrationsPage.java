package io.globalgate.admin.pages;

import io.globalgate.admin.store.Integration;

import java.util.List;

/** The Global Integrations grid, searched by {@code query} and narrowed by {@code active} ({@code yes}, {@code no}, or empty). */
public record IntegrationsPage(Layout layout, List<Integration> items, Paging paging, String query, String active) {

    public boolean filtered() {
        return !query.isEmpty() || !active.isEmpty();
    }
}
