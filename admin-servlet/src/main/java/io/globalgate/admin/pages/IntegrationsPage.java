package io.globalgate.admin.pages;

import io.globalgate.admin.store.Integration;

import java.util.List;

/** The Global Integrations grid. */
public record IntegrationsPage(Layout layout, List<Integration> items, Paging paging, String query) {
}
