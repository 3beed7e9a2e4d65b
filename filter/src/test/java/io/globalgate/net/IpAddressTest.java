package io.globalgate.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpAddressTest {

    /**
     * Only hex digits, colons and dots reach the JDK, which reads a literal only from a hex digit
     * or a colon on: a text starting with a dot it takes for a host name and sends to the name
     * service, which could answer with any address it likes. A JVM whose name service (a hosts
     * file) answers for such texts shows that none of them is read as an address.
     */
    @Test
    void aTextStartingWithADotIsNoAddressWhateverTheNameServiceSays(@TempDir Path dir) throws Exception {
        List<String> texts = List.of(".:1.2.3.4", ".1::1.2.3.4", ".::1", ".:ffff:192.0.2.7");
        StringBuilder hosts = new StringBuilder();
        for (int i = 0; i < texts.size(); i++) {
            hosts.append("203.0.113.").append(66 + i).append(' ').append(texts.get(i)).append('\n');
        }
        Path hostsFile = Files.writeString(dir.resolve("hosts"), hosts);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.net.hosts.file=" + hostsFile, "-cp",
                location(IpAddress.class) + java.io.File.pathSeparator + location(NameServiceProbe.class),
                NameServiceProbe.class.getName()));
        command.addAll(texts);
        Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(probe.waitFor(60, TimeUnit.SECONDS), "the probe ends");
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        StringBuilder expected = new StringBuilder("name service: 203.0.113.66\n"); // the control: the name service does answer
        for (String text : texts) {
            expected.append(text).append(": null null ").append(text).append(" null\n");
        }
        assertEquals(expected.toString(), output.replace(System.lineSeparator(), "\n"));
        assertEquals(0, probe.exitValue(), output);
    }

    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /**
     * The JDK makes an {@link Inet6Address} of mapped bytes when asked to (a caller of
     * {@code Cidr.contains(InetAddress)} or {@code NetworkList.contains(InetAddress)} may hold
     * one): it is the IPv4 address it carries, and only the exact mapped prefix is.
     */
    @Test
    void anIpv6AddressOfMappedBytesIsTheIpv4AddressItCarries() throws Exception {
        InetAddress mapped = v6("0:0:0:0:0:ffff:c000:207");

        assertArrayEquals(new byte[] {(byte) 192, 0, 2, 7}, IpAddress.bytes(mapped));
        assertEquals("192.0.2.7", IpAddress.text(mapped));
        assertTrue(Cidr.parse("192.0.2.0/24").contains(mapped));
        assertFalse(Cidr.parse("::/0").contains(mapped));
        assertTrue(NetworkList.parse("192.0.2.7").contains(mapped));
        for (String text : List.of("0:0:0:0:0:0:c000:207", "0:0:0:0:0:fffe:c000:207", "0:0:0:0:0:feff:c000:207",
                "0:0:0:0:0:ff:c000:207", "0:0:0:0:1:ffff:c000:207", "1:0:0:0:0:ffff:c000:207", "0:0:0:0:ffff:c000:207:0")) {
            InetAddress v6 = v6(text);
            assertEquals(16, IpAddress.bytes(v6).length, text);
            assertEquals(v6.getHostAddress(), IpAddress.text(v6), text);
            assertFalse(Cidr.parse("0.0.0.0/0").contains(v6), text);
            assertTrue(Cidr.parse("::/0").contains(v6), text);
        }
    }

    @Test
    void theTextOfAnAddressWithAZoneHasNoZone() throws Exception {
        InetAddress zoned = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 3);

        assertEquals("fe80:0:0:0:0:0:0:1%3", zoned.getHostAddress());
        assertEquals("fe80:0:0:0:0:0:0:1", IpAddress.text(zoned));
    }

    /** An {@link Inet6Address} of exactly the 16 bytes of eight groups, as the JDK makes it when asked (no conversion to IPv4). */
    private static InetAddress v6(String eightGroups) throws Exception {
        String[] groups = eightGroups.split(":");
        assertEquals(8, groups.length, eightGroups);
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            int group = Integer.parseInt(groups[i], 16);
            bytes[2 * i] = (byte) (group >> 8);
            bytes[2 * i + 1] = (byte) group;
        }
        InetAddress address = Inet6Address.getByAddress(null, bytes, -1);
        assertEquals(Inet6Address.class, address.getClass(), eightGroups);
        return address;
    }
}
