package io.globalgate.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CidrTest {

    @Test
    void anIpv4NetworkContainsItsAddressesOnly() {
        Cidr net = Cidr.parse("10.0.0.0/8");

        assertTrue(net.contains("10.0.0.0"));
        assertTrue(net.contains("10.255.255.255"));
        assertFalse(net.contains("11.0.0.0"));
        assertFalse(net.contains("9.255.255.255"));
    }

    @Test
    void aPrefixThatIsNoWholeByteSplitsTheByte() {
        Cidr net = Cidr.parse("192.168.4.0/22");

        assertTrue(net.contains("192.168.7.255"));
        assertFalse(net.contains("192.168.8.0"));
        assertFalse(net.contains("192.168.3.255"));
    }

    @Test
    void anIpv6NetworkContainsItsAddressesOnly() {
        Cidr net = Cidr.parse("2001:db8::/32");

        assertTrue(net.contains("2001:db8:ffff::1"));
        assertTrue(net.contains("2001:DB8::"));
        assertFalse(net.contains("2001:db9::1"));
    }

    @Test
    void aBareAddressIsANetworkOfOne() {
        assertEquals(32, Cidr.parse("192.0.2.7").prefixLength());
        assertEquals(128, Cidr.parse("::1").prefixLength());
        assertTrue(Cidr.parse("::1").contains("0:0:0:0:0:0:0:1"));
        assertFalse(Cidr.parse("192.0.2.7").contains("192.0.2.8"));
    }

    @Test
    void prefixZeroContainsEveryAddressOfItsFamilyOnly() {
        assertTrue(Cidr.parse("0.0.0.0/0").contains("203.0.113.9"));
        assertFalse(Cidr.parse("0.0.0.0/0").contains("::1"));
        assertTrue(Cidr.parse("::/0").contains("2001:db8::1"));
        assertFalse(Cidr.parse("::/0").contains("203.0.113.9"));
    }

    @Test
    void anIpv4AddressMappedIntoIpv6IsTheIpv4Address() {
        assertTrue(Cidr.parse("10.0.0.0/8").contains("::ffff:10.1.2.3"));
        assertTrue(Cidr.parse("::ffff:10.0.0.0/104").contains("10.1.2.3"));
    }

    @Test
    void bitsAfterThePrefixAreRefusedNamingTheNetworkMeant() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.1.2.3/8"));

        assertEquals("'10.1.2.3/8' has bits set after its 8-bit prefix; did you mean 10.0.0.0/8 (or 10.1.2.3 alone)?", e.getMessage());
    }

    @Test
    void aPrefixLongerThanTheAddressIsRefused() {
        assertEquals("'10.0.0.0/33' has no valid prefix length: after '/' comes a number from 0 to 32 for an IPv4 network",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33")).getMessage());
        assertEquals("'::/129' has no valid prefix length: after '/' comes a number from 0 to 128 for an IPv6 network",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("::/129")).getMessage());
    }

    @Test
    void aHostNameIsRefusedWithoutAskingDns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse("localhost"));

        assertEquals("'localhost' is not an IPv4 or IPv6 network such as 10.0.0.0/8 or 2001:db8::/32 (addresses only, no host names)",
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "/8", "10.0.0/8", "10.0.0.0.0", "256.0.0.0", "010.0.0.1", "10.0.0.-1", "1e1.0.0.0",
        "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/08", "10.0.0.0/8/8", "10.0.0.0/ 8", "0x0a.0.0.1", "2130706433",
        "fe80::1%eth0", "[::1]", "::1::2", "2001:db8::g", "::1.2.3", "1:2:3:4:5:6:7:8:9", "10.0.0.0\u0000/8",
        "ünïcode", "10.0.0.0/99999999999999999999", "example.com/8"})
    void textThatIsNoNetworkIsRefused(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));

        assertTrue(e.getMessage().startsWith("'"), e.getMessage());
        assertFalse(e.getMessage().contains("\u0000"), "control characters are shown escaped");
    }

    @Test
    void aVeryLongValueIsCutInTheMessage() {
        String text = "1".repeat(10_000);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));

        assertTrue(e.getMessage().length() < 200, e.getMessage());
    }

    @Test
    void aValueOfSixtyCharactersIsNamedWholeAndALongerOneCutAtSixty() {
        String sixty = "x".repeat(60);

        assertEquals("'" + sixty + "' is not an IPv4 or IPv6 network such as 10.0.0.0/8 or 2001:db8::/32 (addresses only, no host names)",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse(sixty)).getMessage());
        assertEquals("'" + sixty + "…' is not an IPv4 or IPv6 network such as 10.0.0.0/8 or 2001:db8::/32 (addresses only, no host names)",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse(sixty + "y")).getMessage());
    }

    @Test
    void textThatIsNoAddressIsInNoNetwork() {
        Cidr all = Cidr.parse("0.0.0.0/0");

        assertFalse(all.contains("unknown"));
        assertFalse(all.contains(""));
        assertFalse(all.contains((String) null));
        assertFalse(all.contains("localhost"));
    }

    @Test
    void ipv6PrefixesOnEitherSideOfTheMiddleSplitTheirWord() {
        Cidr net48 = Cidr.parse("2001:db8:1::/48");
        assertTrue(net48.contains("2001:db8:1:ffff:ffff::1"));
        assertFalse(net48.contains("2001:db8:2::"));
        Cidr net64 = Cidr.parse("2001:db8::/64");
        assertTrue(net64.contains("2001:db8::ffff:ffff:ffff:ffff"), "a /64 asks nothing of the low word");
        assertFalse(net64.contains("2001:db8:0:1::"));
        assertTrue(Cidr.parse("2001:db8::/32").contains("2001:db8::1:0:0:0"), "nor does a /32");
        Cidr net96 = Cidr.parse("2001:db8::/96");
        assertTrue(net96.contains("2001:db8::ffff:ffff"));
        assertFalse(net96.contains("2001:db8::1:0:0"), "a /96 asks the top half of the low word");
        assertFalse(net96.contains("2001:db8:0:1::"));
        Cidr net112 = Cidr.parse("2001:db8::ab:0/112");
        assertTrue(net112.contains("2001:db8::ab:ffff"));
        assertFalse(net112.contains("2001:db8::ac:0"));
    }

    @Test
    void bitsSetAfterAPrefixInsideAByteAreRefused() {
        assertEquals("'192.168.5.0/22' has bits set after its 22-bit prefix; did you mean 192.168.4.0/22 (or 192.168.5.0 alone)?",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("192.168.5.0/22")).getMessage());
    }

    @Test
    void aMappedIpv4NetworkTakesPrefixesFrom96AndIsTheIpv4Network() {
        Cidr all = Cidr.parse("::ffff:0.0.0.0/96");
        assertEquals(0, all.prefixLength());
        assertTrue(all.contains("203.0.113.9"));
        Cidr mapped = Cidr.parse("::ffff:10.0.0.0/104");
        assertEquals(8, mapped.prefixLength());
        assertEquals(Cidr.parse("10.0.0.0/8"), mapped);
        assertEquals("10.0.0.0/8", mapped.toString());
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("::ffff:0.0.0.0/95"));
    }

    @Test
    void networksAreEqualOnlyWithTheSameAddressAndPrefix() {
        assertNotEquals(Cidr.parse("10.0.0.0/8"), Cidr.parse("11.0.0.0/8"));
        assertNotEquals(Cidr.parse("10.0.0.0/8"), Cidr.parse("10.0.0.0/16"));
        assertNotEquals(Cidr.parse("10.0.0.0/8"), "10.0.0.0/8");
        assertEquals(Cidr.parse("10.0.0.0/8").hashCode(), Cidr.parse(" 10.0.0.0/8").hashCode());
    }

    @Test
    void anInetAddressIsInTheNetworkOfItsBits() throws Exception {
        Cidr net = Cidr.parse("10.0.0.0/8");
        assertTrue(net.contains(java.net.InetAddress.getByName("10.1.2.3")));
        assertFalse(net.contains(java.net.InetAddress.getByName("11.1.2.3")));
        assertFalse(net.contains((java.net.InetAddress) null));
    }

    @Test
    void aNetworkPrintsAsItIsRead() {
        assertEquals("10.0.0.0/8", Cidr.parse(" 10.0.0.0/8 ").toString());
        assertEquals(Cidr.parse("2001:db8::/32"), Cidr.parse(Cidr.parse("2001:db8::/32").toString()));
    }
}
