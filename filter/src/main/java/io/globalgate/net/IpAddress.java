package io.globalgate.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Reads an IP address literal, never a host name: nothing here asks DNS, so text from a request
 * header costs no lookup and cannot be steered by whoever controls a name server. An IPv4 address
 * mapped into IPv6 ({@code ::ffff:10.0.0.1}) is read as the IPv4 address it carries, so one host
 * has one form whichever way its socket reports it.
 */
final class IpAddress {

    private static final int MAX_LENGTH = 45; // the longest IPv6 text, "ffff:...:255.255.255.255"

    private IpAddress() {
    }

    /** The address {@code text} spells, or null if it is no IPv4 or IPv6 literal (zone ids included). */
    static InetAddress parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return null;
        }
        if (text.indexOf(':') < 0) {
            byte[] v4 = parseIpv4(text);
            return v4 == null ? null : byAddress(v4);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex && c != ':' && c != '.') {
                return null; // a zone id ("%eth0"), brackets, a name: none is an address we compare
            }
        }
        if (text.charAt(0) == '.') {
            // The JDK reads a literal only from a hex digit or a colon on: this text it would send to the name service.
            return null;
        }
        int dot = text.indexOf('.');
        if (dot >= 0 && parseIpv4(text.substring(text.lastIndexOf(':') + 1)) == null) {
            return null; // the JDK accepts "::1.2.3" style tails that are no IPv4 address
        }
        try {
            // Only hex digits, colons and dots: the JDK reads this as a literal and never asks DNS.
            InetAddress address = InetAddress.getByName(text);
            return address instanceof Inet6Address || address instanceof Inet4Address ? address : null;
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Four decimal parts 0-255 without leading zeros (which some readers take as octal), or null. */
    static byte[] parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return null;
            }
            int n = 0;
            for (int j = 0; j < part.length(); j++) {
                char c = part.charAt(j);
                if (c < '0' || c > '9') {
                    return null;
                }
                n = n * 10 + (c - '0');
            }
            if (n > 255) {
                return null;
            }
            bytes[i] = (byte) n;
        }
        return bytes;
    }

    /** The address's bytes, 4 for IPv4 (and for IPv4 mapped into IPv6), 16 for IPv6. */
    static byte[] bytes(InetAddress address) {
        byte[] raw = address.getAddress();
        if (raw.length == 16 && isV4Mapped(raw)) {
            byte[] v4 = new byte[4];
            System.arraycopy(raw, 12, v4, 0, 4);
            return v4;
        }
        return raw;
    }

    /**
     * The canonical text: dotted IPv4, or IPv6 in the JDK's full form without a zone id (the
     * address is made again from its bytes alone, which carry none).
     */
    static String text(InetAddress address) {
        return byAddress(bytes(address)).getHostAddress();
    }

    private static boolean isV4Mapped(byte[] raw) {
        for (int i = 0; i < 10; i++) {
            if (raw[i] != 0) {
                return false;
            }
        }
        return raw[10] == (byte) 0xFF && raw[11] == (byte) 0xFF;
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes always make an address", e);
        }
    }
}
