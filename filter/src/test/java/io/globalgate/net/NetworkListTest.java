package io.globalgate.net;

import io.globalgate.config.InvalidValue;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkListTest {

    @Test
    void anAddressInAnyListedNetworkIsContained() {
        NetworkList list = NetworkList.parse("10.0.0.0/8, 192.0.2.7,2001:db8::/32");

        assertTrue(list.contains("10.9.9.9"));
        assertTrue(list.contains("192.0.2.7"));
        assertTrue(list.contains("2001:db8::5"));
        assertFalse(list.contains("192.0.2.8"));
        assertFalse(list.contains("proxy.local"));
        assertFalse(list.contains("10.0.0.0/8"));
        assertFalse(list.contains((IpBits) null));
    }

    @Test
    void emptyTextIsTheEmptyListWhichContainsNothing() {
        assertSame(NetworkList.empty(), NetworkList.parse(""));
        assertSame(NetworkList.empty(), NetworkList.parse(" , ,"));
        assertFalse(NetworkList.empty().contains("127.0.0.1"));
    }

    @Test
    void everyBadItemIsNamedInOneMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetworkList.parse("10.0.0.0/8, proxy.local, 10.1.0.0/8"));

        assertEquals("'proxy.local' is not an IPv4 or IPv6 network such as 10.0.0.0/8 or 2001:db8::/32 (addresses only, no host names);"
                + " '10.1.0.0/8' has bits set after its 8-bit prefix; did you mean 10.0.0.0/8 (or 10.1.0.0 alone)?", e.getMessage());
    }

    @Test
    void theOptionParserStatesTheRuleBeforeTheItems() {
        InvalidValue e = assertThrows(InvalidValue.class, () -> NetworkList.parser().parse("nope"));

        assertTrue(e.getMessage().startsWith("must be comma-separated networks such as 10.0.0.0/8, 192.0.2.7, 2001:db8::/32: 'nope'"),
                e.getMessage());
    }

    @Test
    void aHugeListIsRefusedInOneLine() {
        String text = "10.0.0.1,".repeat(NetworkList.MAX_NETWORKS + 1);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetworkList.parse(text));

        assertEquals("lists 1002 items; at most 1000 networks are allowed", e.getMessage());
    }

    @Test
    void aListPrintsAsItIsRead() {
        NetworkList list = NetworkList.parse("10.0.0.0/8,::1");

        assertEquals("10.0.0.0/8, 0:0:0:0:0:0:0:1/128", list.toString());
        assertEquals(list, NetworkList.parse(list.toString()));
    }

    @Test
    void listsOfTheSameNetworksAreEqualAndHashAlikeAndOthersAreNot() {
        NetworkList list = NetworkList.parse("10.0.0.0/8, 2001:db8::/32");

        assertEquals(list, NetworkList.parse(" 10.0.0.0/8 ,2001:db8:0::/32 "));
        assertEquals(list.hashCode(), NetworkList.parse(" 10.0.0.0/8 ,2001:db8:0::/32 ").hashCode());
        assertEquals(list, NetworkList.of(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8::/32"))));
        assertNotEquals(list, NetworkList.parse("10.0.0.0/8"));
        assertNotEquals(list, NetworkList.parse("10.0.0.0/8, 2001:db8::/48"));
        assertNotEquals(list, NetworkList.parse("11.0.0.0/8, 2001:db8::/32"));
        assertNotEquals(list, NetworkList.empty());
        assertNotEquals(NetworkList.empty(), list);
        assertNotEquals(list, "10.0.0.0/8, 0:0:0:0:0:0:0:1/128");
        assertNotEquals(list, null);
        // records holding lists (TokenRestrictions, the admin's tokens and integrations) hash by them:
        // different lists spread over a hash table's buckets, not all into one
        Set<Integer> hashes = new HashSet<>();
        for (String text : List.of("", "10.0.0.0/8", "10.0.0.0/16", "11.0.0.0/8", "10.0.0.0/8, 2001:db8::/32", "2001:db8::/32", "::1")) {
            hashes.add(NetworkList.parse(text).hashCode());
        }
        assertEquals(7, hashes.size(), hashes.toString());
    }

    @Test
    void theNetworksAreThoseListedInTheirOrderAndAnEmptyListSaysSo() {
        NetworkList list = NetworkList.parse("192.0.2.7, 10.0.0.0/8,::1");

        assertEquals(List.of(Cidr.parse("192.0.2.7/32"), Cidr.parse("10.0.0.0/8"), Cidr.parse("::1/128")), list.networks());
        assertFalse(list.isEmpty());
        assertTrue(NetworkList.empty().isEmpty());
        assertEquals(List.of(), NetworkList.empty().networks());
        assertTrue(NetworkList.of(List.of()).isEmpty());
    }

    @Test
    void anInetAddressIsContainedOnlyInAListedNetwork() throws Exception {
        NetworkList list = NetworkList.parse("10.0.0.0/8, 2001:db8::/32");

        assertTrue(list.contains(InetAddress.getByName("10.200.0.1")));
        assertTrue(list.contains(InetAddress.getByName("2001:db8::7")));
        assertFalse(list.contains(InetAddress.getByName("11.0.0.1")));
        assertFalse(list.contains(InetAddress.getByName("2001:db9::7")));
        assertFalse(list.contains((InetAddress) null));
        assertFalse(NetworkList.empty().contains(InetAddress.getByName("10.200.0.1")));
    }

    @Test
    void aListOfExactlyTheMostNetworksIsRead() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < NetworkList.MAX_NETWORKS; i++) {
            items.add("10." + (i / 256) + "." + (i % 256) + ".0/24");
        }

        NetworkList list = NetworkList.parse(String.join(",", items));

        assertEquals(NetworkList.MAX_NETWORKS, list.networks().size());
        assertTrue(list.contains("10.3.231.9"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetworkList.parse(String.join(",", items) + ",10.9.0.0/24"));
        assertEquals("lists 1001 items; at most 1000 networks are allowed", e.getMessage());
    }

    @Test
    void theOptionParserAnswersTheListItReads() throws Exception {
        assertEquals(NetworkList.parse("10.0.0.0/8, 2001:db8::/32"), NetworkList.parser().parse("10.0.0.0/8, 2001:db8::/32"));
        assertSame(NetworkList.empty(), NetworkList.parser().parse(""));
    }
}
