package io.globalgate.store;

import java.time.Instant;
import java.util.Map;

/**
 * What the filter saw of one token since its last flush: when it was last used, from where, and
 * how many requests it carried in each hour (hours as their UTC start).
 */
public record TokenUsage(long tokenId, Instant lastUsedAt, String lastUsedIp, Map<Instant, Long> requestsPerHour) {
}
