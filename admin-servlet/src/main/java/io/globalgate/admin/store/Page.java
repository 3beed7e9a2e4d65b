package io.globalgate.admin.store;

import java.util.List;

/** One page of a listing and the number of items in all pages. */
public record Page<T>(List<T> items, long total) {
}
