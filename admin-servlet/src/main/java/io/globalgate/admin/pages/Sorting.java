package io.globalgate.admin.pages;

import io.globalgate.admin.store.Sort;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How a grid is sorted and the links that sort it otherwise: a header's link sorts by its column
 * (again: the other way round), each column first in the direction an operator most often wants
 * ({@code descendingFirst}: newest, most recently used). {@code linkBase} ends in {@code ?} or
 * {@code &}, and carries the grid's filters, not its page: another order starts at page 1.
 */
public record Sorting(Sort current, String linkBase, Set<String> descendingFirst, List<String> keys) {

    /** The grid's order as {@code aria-sort} says it on the header of {@code key}, or null for the other headers. */
    public String ariaSort(String key) {
        return current.key().equals(key) ? (current.descending() ? "descending" : "ascending") : null;
    }

    /** The link of the header of {@code key}. */
    public String link(String key) {
        boolean descending = current.key().equals(key) ? !current.descending() : descendingFirst.contains(key);
        return linkBase + "sort=" + new Sort(key, descending).code();
    }

    /** The arrow beside the header of the sorted column (a picture of what {@code aria-sort} says). */
    public String mark(String key) {
        return current.key().equals(key) ? (current.descending() ? " ▼" : " ▲") : "";
    }

    /** Every order, as the choice of a phone (where the headers are hidden) offers it: value and words. */
    public List<String[]> choices() {
        List<String[]> choices = new ArrayList<>();
        for (String key : keys) {
            for (boolean descending : descendingFirst.contains(key) ? new boolean[] {true, false} : new boolean[] {false, true}) {
                choices.add(new String[] {new Sort(key, descending).code(), words(key, descending)});
            }
        }
        return choices;
    }

    private static String words(String key, boolean descending) {
        return switch (key) {
            case "name" -> descending ? "Name, Z to A" : "Name, A to Z";
            case "created" -> descending ? "Newest first" : "Oldest first";
            case "expires" -> descending ? "Expiring latest first" : "Expiring soonest first";
            case "lastUsed" -> descending ? "Most recently used first" : "Least recently used first";
            case "status" -> descending ? "Revoked first" : "Working first";
            case "active" -> descending ? "Inactive first" : "Active first";
            default -> key;
        };
    }
}
