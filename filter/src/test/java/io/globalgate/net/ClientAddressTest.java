package io.globalgate.net;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
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
    void theLastHopReadIsTheSixtyFourthFromTheRight() {
        String sixtyThreeTrusted = "198.51.100.4, " + "10.1.1.1, ".repeat(ClientAddress.MAX_HOPS - 2) + "10.1.1.1";
        assertEquals("198.51.100.4", client(BEHIND_PROXIES, "10.0.0.2", List.of(sixtyThreeTrusted), List.of()), "the 64th hop is read");
        String sixtyFourTrusted = "198.51.100.4, " + "10.1.1.1, ".repeat(ClientAddress.MAX_HOPS - 1) + "10.1.1.1";
        assertEquals("10.1.1.1", client(BEHIND_PROXIES, "10.0.0.2", List.of(sixtyFourTrusted), List.of()), "the 65th is not");
    }

    @Test
    void anEscapedQuoteInAQuotedForwardedValueDoesNotEndIt() {
        assertEquals("198.51.100.4", client(BEHIND_PROXIES, "10.0.0.2", List.of(),
                List.of("for=198.51.100.4;by=\"a\\\";for=6.6.6.6\"")), "the by value holds the quote and what follows it");
        assertEquals("198.51.100.4", client(BEHIND_PROXIES, "10.0.0.2", List.of(), List.of("for=\"198.51.100.\\4\"")),
                "a quoted-pair stands for its character");
        assertEquals("10.0.0.2", client(BEHIND_PROXIES, "10.0.0.2", List.of(), List.of("for=\"198.51.100.4\\")),
                "a backslash at the very end of an unclosed quote is no address, and no error");
    }

    /** The bits the restrictions compare: the peer's as read without trusted proxies, the client's as {@link ClientAddress#of} finds it with them. */
    @Test
    void bitsOfAreTheBitsOfTheClientAddress() {
        for (String peer : List.of("192.0.2.7", " 192.0.2.7 ", "192.0.2.7:4711", "2001:db8::1", "0:0:0:0:0:0:0:1", "[2001:db8::1]:4711",
                "[::1]", "::ffff:192.0.2.7", "[::ffff:192.0.2.7]", "unknown", "", "[::1", "[::1]x", "192.0.2.7:x", "192.0.2.256:80",
                "[192.0.2.7]", "unix:/run/socket")) {
            java.net.InetAddress hop = ClientAddress.hop(peer);
            IpBits expected = hop == null ? null : IpBits.of(IpAddress.bytes(hop));
            assertEquals(expected, ClientAddress.hopBits(peer), peer);
            assertEquals(expected, NO_PROXIES.bitsOf(request(peer)), peer);
        }
        assertEquals(null, ClientAddress.hopBits(null));
        assertEquals(IpBits.parse("198.51.100.4"), BEHIND_PROXIES.bitsOf(request("10.0.0.2", "198.51.100.4")));
        assertEquals(IpBits.parse("192.0.2.7"), BEHIND_PROXIES.bitsOf(request("192.0.2.7", "198.51.100.4")), "an untrusted peer");
        assertEquals(IpBits.parse("10.0.0.2"), BEHIND_PROXIES.bitsOf(request("10.0.0.2", "not an address")));
    }

    /** A request with only a peer address and X-Forwarded-For lines: what the two ClientAddress methods read. */
    private static jakarta.servlet.http.HttpServletRequest request(String peer, String... xForwardedFor) {
        return (jakarta.servlet.http.HttpServletRequest) java.lang.reflect.Proxy.newProxyInstance(ClientAddressTest.class.getClassLoader(),
                new Class<?>[] {jakarta.servlet.http.HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRemoteAddr" -> peer;
                    case "getHeaders" -> java.util.Collections.enumeration(
                            ClientAddress.X_FORWARDED_FOR.equalsIgnoreCase((String) args[0]) ? List.of(xForwardedFor) : List.of());
                    case "toString" -> "request from " + peer;
                    default -> throw new UnsupportedOperationException("ClientAddress must not call " + method.getName());
                });
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

    /** What the filter reads per request: the canonical peer without trusted proxies, the walked hops with them. */
    @Test
    void theClientOfARequestIsItsCanonicalPeerOrTheHopATrustedProxyAppended() {
        assertEquals("0:0:0:0:0:0:0:1", NO_PROXIES.of(request(" [::1]:4711 ", "198.51.100.4")));
        assertEquals("192.0.2.7", NO_PROXIES.of(request("192.0.2.7:80", "198.51.100.4")));
        assertEquals("unix:/run/socket", NO_PROXIES.of(request("unix:/run/socket")));
        assertEquals("198.51.100.4", BEHIND_PROXIES.of(request("10.0.0.2", "198.51.100.4")));
        assertEquals("192.0.2.7", BEHIND_PROXIES.of(request("192.0.2.7", "198.51.100.4")), "an untrusted peer");
    }

    @Test
    void theTrustedProxiesAreTheListItWasMadeWith() {
        NetworkList list = NetworkList.parse("10.0.0.0/8");

        assertSame(list, new ClientAddress(list).trustedProxies());
        assertSame(NetworkList.empty(), NO_PROXIES.trustedProxies());
    }

    /** A per-address limit counts an IPv4 address whole and an IPv6 address by its /64. */
    @Test
    void perSubscriberIsTheIpv4AddressOrTheIpv6Slash64() {
        assertEquals("192.0.2.7", ClientAddress.perSubscriber("192.0.2.7"));
        assertEquals("2001:db8:0:0::/64", ClientAddress.perSubscriber("2001:db8:0:0:0:0:0:1"));
        assertEquals("2001:db8:a:b::/64", ClientAddress.perSubscriber("2001:db8:a:b:c:d:e:f"));
        assertEquals(ClientAddress.perSubscriber("2001:db8:a:b:1:2:3:4"), ClientAddress.perSubscriber("2001:db8:a:b:c:d:e:f"));
        assertEquals("0:0:0:0::/64", ClientAddress.perSubscriber(NO_PROXIES.of(request("[::1]:4711"))));
        assertEquals("unix:/run/socket", ClientAddress.perSubscriber("unix:/run/socket"), "no address: as it came");
    }
}
