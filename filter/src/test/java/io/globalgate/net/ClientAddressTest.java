package io.globalgate.net;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientAddressTest {

    private static final ClientAddress NO_PROXIES = new ClientAddress(NetworkList.empty());
    private static final ClientAddress BEHIND_PROXIES = new ClientAddress(NetworkList.parse("10.0.0.0/8, 2001:db8::/32"));

    private static String client(ClientAddress rule, String peer, List<String> xff, List<String> forwarded) {
        return rule.of(peer, xff, forwarded);
    }

    @Test
    void withoutTrustedProxiesTheClientIsThePeerWhateverTheHeadersSay() {
        assertEquals("203.0.113.9", client(NO_PROXIES, "203.0.113.9", List.of("1.2.3.4"), List.of("for=5.6.7.8")));
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverTheHeadersSay() {
        assertEquals("203.0.113.9", client(BEHIND_PROXIES, "203.0.113.9", List.of("10.0.0.1"), List.of()));
    }

    @Test
    void behindATrustedProxyTheClientIsTheHopItAppended() {
        assertEquals("198.51.100.4", client(BEHIND_PROXIES, "10.0.0.2", List.of("198.51.100.4"), List.of()));
    }

    @Test
    void whatTheClientWroteLeftOfTheTrustedHopsIsNeverReached() {
        // the client sent "X-Forwarded-For: 1.1.1.1, 10.9.9.9"; the proxy appended the address it saw
        assertEquals("198.51.100.4", client(BEHIND_PROXIES, "10.0.0.2", List.of("1.1.1.1, 10.9.9.9, 198.51.100.4"), List.of()));
    }

    @Test
    void trustedHopsAreSkippedRightToLeft() {
        assertEquals("198.51.100.4", client(BEHIND_PROXIES, "10.0.0.2", List.of("6.6.6.6, 198.51.100.4, 10.1.1.1", "10.2.2.2"), List.of()));
    }

    @Test
    void severalHeaderLinesAreOneListInTheirOrder() {
        assertEquals("198.51.100.4", client(BEHIND_PROXIES, "10.0.0.2", List.of("6.6.6.6", "198.51.100.4"), List.of()));
    }

    @Test
    void whenEveryHopIsTrustedTheLeftmostIsTheClient() {
        assertEquals("10.3.3.3", client(BEHIND_PROXIES, "10.0.0.2", List.of("10.3.3.3, 10.1.1.1"), List.of()));
    }

    @Test
    void aTrustedPeerWithoutHeadersIsItselfTheClient() {
        assertEquals("10.0.0.2", client(BEHIND_PROXIES, "10.0.0.2", List.of(), List.of()));
    }

    @Test
    void anEntryThatIsNoAddressStopsTheWalkAtTheProxyThatReportedIt() {
        assertEquals("10.0.0.2", client(BEHIND_PROXIES, "10.0.0.2", List.of("1.2.3.4, unknown"), List.of()));
        assertEquals("10.1.1.1", client(BEHIND_PROXIES, "10.0.0.2", List.of("1.2.3.4, _hidden, 10.1.1.1"), List.of()));
    }

    @Test
    void hostileEntriesNeverBecomeTheClientAddress() {
        for (String hostile : List.of("", " ", ",", "1.2.3.4\r\nX: y", "localhost", "example.com", "999.1.1.1", "1.2.3.4:99999999",
                "[1.2.3.4]", "[::1", "::1]:80", "\u0000", "fe80::1%eth0", "0x7f.0.0.1", "2130706433", "%31.2.3.4", "\"1.2.3.4\"",
                "1.2.3.4 5.6.7.8", "a".repeat(100_000))) {
            assertEquals("10.0.0.2", client(BEHIND_PROXIES, "10.0.0.2", List.of(hostile), List.of()), hostile);
        }
    }

    @Test
    void aPortOnAHopIsDropped() {
        assertEquals("198.51.100.4", client(BEHIND_PROXIES, "10.0.0.2", List.of("198.51.100.4:4711"), List.of()));
        assertEquals("2001:db9:0:0:0:0:0:1", client(BEHIND_PROXIES, "10.0.0.2", List.of("[2001:db9::1]:4711"), List.of()));
    }

    @Test
    void ipv6HopsAndPeersWork() {
        assertEquals("2001:db9:0:0:0:0:0:1", client(BEHIND_PROXIES, "2001:db8::7", List.of("2001:db9::1"), List.of()));
        assertEquals("2001:db9:0:0:0:0:0:1", client(BEHIND_PROXIES, "[2001:db8::7]", List.of("2001:db9::1"), List.of()));
    }

    @Test
    void anIpv4PeerMappedIntoIpv6IsTheIpv4Address() {
        assertEquals("198.51.100.4", client(BEHIND_PROXIES, "::ffff:10.0.0.2", List.of("198.51.100.4"), List.of()));
        assertEquals("203.0.113.9", client(NO_PROXIES, "::ffff:203.0.113.9", List.of(), List.of()));
    }

    @Test
    void forwardedIsReadWhenThereIsNoXForwardedFor() {
        assertEquals("198.51.100.4", client(BEHIND_PROXIES, "10.0.0.2", List.of(),
                List.of("for=6.6.6.6, for=198.51.100.4;proto=https;by=10.0.0.2")));
        assertEquals("2001:db9:0:0:0:0:0:1", client(BEHIND_PROXIES, "10.0.0.2", List.of(),
                List.of("For=\"[2001:db9::1]:4711\"")));
    }

    @Test
    void xForwardedForWinsOverForwarded() {
        assertEquals("198.51.100.4", client(BEHIND_PROXIES, "10.0.0.2", List.of("198.51.100.4"), List.of("for=6.6.6.6")));
    }

    @Test
    void aForwardedElementWithoutForIsAnUnknownHop() {
        assertEquals("10.0.0.2", client(BEHIND_PROXIES, "10.0.0.2", List.of(), List.of("for=6.6.6.6, proto=https")));
        assertEquals("10.0.0.2", client(BEHIND_PROXIES, "10.0.0.2", List.of(), List.of("for=\"unknown\"")));
    }

    @Test
    void quotedCommasAndSemicolonsInForwardedDoNotSplitAnElement() {
        assertEquals("10.0.0.2", client(BEHIND_PROXIES, "10.0.0.2", List.of(), List.of("for=\"1.2.3.4, 5.6.7.8\"")));
        assertEquals("198.51.100.4", client(BEHIND_PROXIES, "10.0.0.2", List.of(), List.of("by=\"a;b,c\";for=198.51.100.4")));
    }

    @Test
    void onlyTheLastHopsAreRead() {
        String chain = "198.51.100.4, " + "10.1.1.1, ".repeat(ClientAddress.MAX_HOPS + 10) + "10.1.1.1";

        assertEquals("10.1.1.1", client(BEHIND_PROXIES, "10.0.0.2", List.of(chain), List.of()));
    }

    @Test
    void aPeerThatIsNoAddressIsReturnedAsItCame() {
        assertEquals("unix:/run/socket", client(BEHIND_PROXIES, "unix:/run/socket", List.of("1.2.3.4"), List.of()));
    }

    @Test
    void trustsNamesTrustedPeersOnly() {
        assertTrue(BEHIND_PROXIES.trusts("10.0.0.2"));
        assertTrue(BEHIND_PROXIES.trusts("[2001:db8::1]"));
        assertFalse(BEHIND_PROXIES.trusts("11.0.0.2"));
        assertFalse(BEHIND_PROXIES.trusts("garbage"));
        assertFalse(NO_PROXIES.trusts("10.0.0.2"));
    }

    @Test
    void theAddressIsCanonical() {
        assertEquals("0:0:0:0:0:0:0:1", ClientAddress.canonical("::1"));
        assertEquals("0:0:0:0:0:0:0:1", ClientAddress.canonical("[::1]"));
        assertEquals("192.0.2.1", ClientAddress.canonical("192.0.2.1"));
    }
}
