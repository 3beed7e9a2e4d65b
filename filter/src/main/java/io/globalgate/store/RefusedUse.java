package io.globalgate.store;

import java.time.Instant;

/**
 * The latest request a node refused because this token had ended (revoked, or expired): when,
 * and the client address as the filter determines it (trusted proxies respected).
 */
public record RefusedUse(long tokenId, Instant at, String ip) {
}
