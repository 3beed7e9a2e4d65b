package io.globalgate.admin.pages;

import io.globalgate.admin.store.AccessToken;
import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.NotificationOutbox;
import io.globalgate.admin.store.TokenStore;

import java.time.Instant;
import java.util.List;

/**
 * One integration with its Access Tokens grid and its recent notification e-mails. The grid is
 * narrowed by {@code status} and {@code query} and sorted as {@code sorting} says;
 * {@code statusLinkBase} and {@code clearLink} keep the rest of the view. {@code every} lists the
 * tokens of every page that a mass revocation can take (null when the grid has one page, or more
 * than a revocation may take: {@code tooManyForEvery}); {@code lineage} tells the tokens of a
 * regeneration apart. {@code currentPage}, {@code pageSize} and {@code notificationPage} are where
 * the two grids stand, which the forms of one grid carry so as not to move the other.
 */
public record IntegrationPage(Layout layout, Integration integration, List<AccessToken> tokens, Paging paging,
                              String status, Instant now, List<NotificationOutbox.Message> notifications,
                              Paging notificationPaging, boolean writesFiles, UsageChart usage, String query, Sorting sorting,
                              String statusLinkBase, String clearLink, TokenStore.Lineage lineage, List<Long> every,
                              boolean tooManyForEvery, int currentPage, int pageSize, int notificationPage) {

    /** A message's status in words: a message of a deployment without SMTP was written to a file, not sent. */
    public String deliveryStatus(NotificationOutbox.Message m) {
        return switch (m.status()) {
            case PENDING -> "Pending";
            case SENT -> writesFiles ? "Written to file" : "Sent";
            case FAILED -> "Failed";
        };
    }

    /** How many of a message's tokens its row names; the rest are counted ("and 12 more"). */
    static final int TOKENS_NAMED = 3;

    /** A token a notification is about, as its row names it; {@code role} tells the two of a regeneration apart. */
    public record About(String role, NotificationOutbox.TokenFact token) {
    }

    /** The tokens a notification is about, at most {@link #TOKENS_NAMED}: none for a message about the integration. */
    public List<About> tokensOf(NotificationOutbox.Message m) {
        List<NotificationOutbox.TokenFact> facts = m.tokens();
        if (m.kind() == NotificationOutbox.Kind.TOKEN_REGENERATED && facts.size() == 2) {
            // Written as (the new token, the old one).
            return List.of(new About("new", facts.get(0)), new About("replacing", facts.get(1)));
        }
        return facts.stream().limit(TOKENS_NAMED).map(f -> new About("", f)).toList();
    }

    /** The ids of {@link #every}, as the form carries them. */
    public String everyIds() {
        return every == null ? "" : String.join(",", every.stream().map(String::valueOf).toList());
    }

    /** The offer to select every page: "Select all 137 tokens", saying so when some of the list cannot be revoked. */
    public String everyOffer() {
        int n = every.size();
        String tokens = n == 1 ? "1 token" : n + " tokens";
        return n == paging.total() ? "Select all " + tokens + " of this list"
                : "Select all " + tokens + " of this list that can be revoked (of " + paging.total() + ")";
    }

    public String everyChosen() {
        int n = every.size();
        return (n == 1 ? "The 1 token" : "All " + n + " tokens") + " of this list that can be revoked are selected, on every page.";
    }
}
