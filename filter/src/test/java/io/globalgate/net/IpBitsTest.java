package io.globalgate.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link IpBits#parse} reads its plain forms without {@code InetAddress}; it must accept and refuse
 * exactly what {@link IpAddress#parse} does, and give the same address.
 */
class IpBitsTest {

    /** What the one reader makes of {@code text}, as bits. */
    private static IpBits byInetAddress(String text) {
        InetAddress address = IpAddress.parse(text);
        return address == null ? null : IpBits.of(IpAddress.bytes(address));
    }

    @Test
    void theFormsAContainerReportsAreReadAsTheJdkReadsThem() {
        for (String text : List.of("127.0.0.1", "0.0.0.0", "255.255.255.255", "192.0.2.7", "0:0:0:0:0:0:0:1", "::1", "::",
                "2001:db8::", "2001:DB8:0:0:0:0:0:9", "fe80::1:2", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8",
                "0:0:0:0:0:ffff:7f00:1", "::ffff:c000:207", "::ffff:192.0.2.7", "::192.0.2.7", "1:2:3:4:5:6:1.2.3.4",
                "0000:0000:0000:0000:0000:ffff:255.255.255.255")) { // the last is 45 characters, the longest literal
            IpBits expected = byInetAddress(text);
            assertEquals(expected, IpBits.parse(text), text);
            assertEquals(false, expected == null, text + " is an address");
        }
        assertEquals(IpBits.parse("192.0.2.7"), IpBits.parse("::ffff:c000:207"), "a mapped IPv4 address is the IPv4 address");
    }

    @Test
    void whatIsNoAddressIsRefusedAsTheJdkRefusesIt() {
        for (String text : List.of("", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.256", "1..2.3", ".1.2.3", "1.2.3.4.", "a.b.c.d",
                ":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "1::2::3", ":1::", "1::2:", "12345::", "fe80::1%eth0", "[::1]",
                "g::1", "１::1", "::1.2.3", "localhost", "1:2:3:4:5:6:7", " ::1",
                // groups of letters only, and of digits that are not ASCII (U+FF11): no hex digit that would send them to the JDK
                "::g", "x:y::z", "::１", "１１::")) {
            assertNull(IpBits.parse(text), text);
            assertNull(byInetAddress(text), text);
        }
        assertNull(IpBits.parse(null));
    }

    /**
     * Every IPv6 literal of hex groups of 1 to 4 digits is read by the plain reading alone, without the fallback
     * to {@link IpAddress#parse} (which gives the same bits but allocates an {@code InetAddress}
     * per request): eight groups, or fewer with {@code ::} at the head, in the middle or at the
     * tail; groups of 1 to 4 digits, leading zeros, upper and lower case; mapped IPv4 in hex.
     */
    @Test
    void everyLiteralOfHexGroupsIsReadWithoutTheFallback() {
        List<String> texts = new ArrayList<>(List.of("::", "::1", "1::", "0::0", "fe80::1:2", "2001:db8::", "2001:DB8:0:0:0:0:0:9",
                "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3::6:7:8", "0db8::0a:00ff", "ABCD:ef01::",
                "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "0000:0000:0000:0000:0000:ffff:c000:0207", // the longest, 39 characters
                "::ffff:c000:207", "0:0:0:0:0:ffff:7f00:1", "::FFFF:0:0", "::fffe:c000:207", "1::ffff:c000:207"));
        // every shape: 8 groups, or 0 to 7 around a gap at each place, with groups of each length
        String[] groups = {"0", "f", "a0", "ABC", "0db8", "ffff", "9", "10"};
        for (int count = 0; count <= 8; count++) {
            for (int gap = count == 8 ? -1 : 0; gap <= (count == 8 ? -1 : count); gap++) {
                StringBuilder sb = new StringBuilder();
                for (int g = 0; g < count; g++) {
                    if (g == gap) {
                        sb.append("::");
                    } else if (g > 0) {
                        sb.append(':');
                    }
                    sb.append(groups[(g + count) % groups.length]);
                }
                if (gap == count) {
                    sb.append("::");
                }
                texts.add(sb.toString());
            }
        }
        assertEquals(20 + 37, texts.size());
        for (String text : texts) {
            IpBits plain = IpBits.ipv6(text);
            assertNotNull(plain, text + " is read without the fallback");
            assertEquals(byInetAddress(text), plain, text);
        }
        assertEquals(IpBits.parse("192.0.2.7"), IpBits.ipv6("::ffff:c000:207"), "mapped IPv4 is IPv4");
        assertEquals(IpBits.parse("0.0.0.1"), IpBits.ipv6("::ffff:0:1"), "mapped IPv4 is IPv4");
        assertEquals(false, IpBits.ipv6("::fffe:c000:207").v4, "not mapped: IPv6");
        assertEquals(false, IpBits.ipv6("1::ffff:c000:207").v4, "not mapped: IPv6");
    }

    /** The plain reading never takes what is no address; dotted tails it leaves to the fallback. */
    @Test
    void thePlainReadingTakesNothingElse() {
        for (String text : List.of(":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1:2:3:4::5:6:7:8", "1::2::3",
                "::1::", ":1::", "1::2:", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "12345::", "::12345", "fe80::1%eth0", "[::1]", "g::1", "::g",
                "１::1", "::１", "1:2:3:4:5:6:7", " ::1", "::1 ", ":", "1:")) {
            assertNull(IpBits.ipv6(text), text);
            assertNull(byInetAddress(text), text);
        }
        for (String text : List.of("::ffff:192.0.2.7", "::192.0.2.7", "1:2:3:4:5:6:1.2.3.4")) {
            assertNull(IpBits.ipv6(text), text);
            assertNotNull(IpBits.parse(text), text);
        }
    }

    /** The tests above compare addresses with equals: it tells addresses, and families, apart. */
    @Test
    void addressesAreEqualOnlyWithTheSameBitsOfTheSameFamily() {
        assertNotEquals(IpBits.parse("192.0.2.7"), IpBits.parse("192.0.2.8"));
        assertNotEquals(IpBits.parse("2001:db8::1"), IpBits.parse("2001:db9::1"), "the high word");
        assertNotEquals(IpBits.parse("2001:db8::1"), IpBits.parse("2001:db8::2"), "the low word");
        assertNotEquals(IpBits.parse("0.0.0.1"), IpBits.parse("::1"), "the same low bits, another family");
        assertNotEquals(IpBits.parse("192.0.2.7"), "192.0.2.7");
        IpBits mapped = IpBits.parse("::ffff:c000:207");
        assertEquals(IpBits.parse("192.0.2.7"), mapped);
        assertEquals(IpBits.parse("192.0.2.7").hashCode(), mapped.hashCode(), "equal addresses, equal hash codes");
    }

    @Test
    void randomTextsOfAddressCharactersAreReadAsTheJdkReadsThem() {
        long seed = Long.getLong("ipbits.seed", new Random().nextLong());
        Random random = new Random(seed);
        String alphabet = "0123456789abcdefABCDEF:::...";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            int length = 1 + random.nextInt(random.nextBoolean() ? 12 : 45);
            for (int i = 0; i < length; i++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = sb.toString();
            assertEquals(byInetAddress(text), IpBits.parse(text), () -> "'" + text + "' (seed " + seed + ")");
            // the plain reading alone takes no dotted text, and gives the JDK's bits for what it takes (it leaves
            // the JDK a few forms more, such as a group of five digits with a leading zero: '0ac67::a')
            IpBits plain = IpBits.ipv6(text);
            if (plain != null) {
                assertTrue(text.indexOf('.') < 0, () -> "'" + text + "' read plainly (seed " + seed + ")");
                assertEquals(byInetAddress(text), plain, () -> "'" + text + "' read plainly (seed " + seed + ")");
            }
        }
        for (int n = 0; n < 20_000; n++) {
            // Well-formed ones too, which random characters seldom make: groups around at most one gap.
            int groups = 1 + random.nextInt(8);
            int gap = random.nextInt(groups + 2) - 1;
            StringBuilder sb = new StringBuilder();
            for (int g = 0; g < groups; g++) {
                if (g == gap) {
                    sb.append(g == 0 ? "::" : ":");
                } else if (g > 0) {
                    sb.append(':');
                }
                sb.append(Integer.toHexString(random.nextInt(random.nextBoolean() ? 0x10000 : 16)));
            }
            if (gap == groups) {
                sb.append("::");
            }
            String text = sb.toString();
            assertEquals(byInetAddress(text), IpBits.parse(text), () -> "'" + text + "' (seed " + seed + ")");
            // groups of hex digits only: the plain reading alone reads and refuses what the JDK does
            assertEquals(byInetAddress(text), IpBits.ipv6(text), () -> "'" + text + "' read plainly (seed " + seed + ")");
        }
    }
}
