package io.globalgate.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
        }
    }
}
