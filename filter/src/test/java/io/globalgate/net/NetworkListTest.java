package io.globalgate.net;

import io.globalgate.config.InvalidValue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
}
