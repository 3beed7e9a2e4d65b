package io.globalgate.store;

import io.globalgate.testing.MutableClock;
import io.globalgate.testing.TestDatabases;
import io.globalgate.token.TokenFormat;
import io.globalgate.token.TokenHash;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * During a rolling upgrade a newer admin may write change events of a kind this node does not
 * know: the node keeps reading the feed and applies such an event to its token or integration,
 * instead of stopping at it (which would leave its cache unrefreshed until it was upgraded).
 */
class ChangeFeedUnknownKindTest {

    private final DataSource dataSource = TestDatabases.h2();
    private final GlobalgateStore store = new GlobalgateStore(dataSource, new MutableClock(Instant.parse("2026-05-01T00:00:00Z"))).migrate();

    @Test
    void anEventOfAKindFromANewerVersionIsReadAsOtherAndTheFeedGoesOn() throws Exception {
        TokenHash hash = TokenHash.of(TokenFormat.generate());
        insert("token.newer_kind", 7, 70L, hash.toBytes());
        insert("integration.newer_kind", 8, null, null);
        insert("token.revoked", 7, 71L, hash.toBytes());

        List<ChangeEvent> events = store.changes().readAfter(0, 10);

        assertEquals(3, events.size(), events.toString());
        assertEquals(ChangeEvent.Kind.OTHER, events.get(0).kind());
        assertEquals(hash, events.get(0).tokenHash(), "applied to its token");
        assertEquals(ChangeEvent.Kind.OTHER, events.get(1).kind());
        assertNull(events.get(1).tokenHash(), "applied to its whole integration");
        assertEquals(8, events.get(1).integrationId());
        assertEquals(ChangeEvent.Kind.TOKEN_REVOKED, events.get(2).kind(), "the events after it are still read");
    }

    private void insert(String kind, long integrationId, Long tokenId, byte[] hash) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO change_event (kind, integration_id, token_id, token_hash, created_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, kind);
            ps.setLong(2, integrationId);
            ps.setObject(3, tokenId);
            ps.setBytes(4, hash);
            ps.setTimestamp(5, Timestamp.from(Instant.parse("2026-05-01T00:00:00Z")));
            ps.executeUpdate();
        }
    }
}
