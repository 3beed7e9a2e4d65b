package io.globalgate.net;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * One IPv4 or IPv6 network: {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or one address
 * ({@code 192.0.2.7} = {@code /32}, {@code ::1} = {@code /128}). Host names are refused: a list
 * of trusted networks must not change when a DNS record does. A network whose address has bits
 * set after the prefix ({@code 10.1.2.3/8}) is refused too, since the writer most likely meant
 * another prefix; the message names the network that was probably meant.
 */
public final class Cidr {

    private final byte[] network;
    private final int prefix;
    /** The network and its mask as {@link IpBits} compares them, made once. */
    private final boolean v4;
    private final long networkHigh;
    private final long networkLow;
    private final long maskHigh;
    private final long maskLow;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
        this.v4 = network.length == 4;
        if (v4) {
            this.maskHigh = 0;
            this.maskLow = prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
            this.networkHigh = 0;
            this.networkLow = IpBits.word(network, 0, 4);
        } else {
            this.maskHigh = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
            this.maskLow = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
            this.networkHigh = IpBits.word(network, 0, 8);
            this.networkLow = IpBits.word(network, 8, 8);
        }
    }

    /**
     * The network {@code text} spells.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static Cidr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a network is needed, such as 10.0.0.0/8 or 2001:db8::/32");
        }
        String t = text.strip();
        int slash = t.indexOf('/');
        String addressText = slash < 0 ? t : t.substring(0, slash);
        InetAddress address = IpAddress.parse(addressText);
        if (address == null) {
            throw new IllegalArgumentException("'" + shown(t) + "' is not an IPv4 or IPv6 network such as 10.0.0.0/8 or 2001:db8::/32"
                    + " (addresses only, no host names)");
        }
        byte[] bytes = IpAddress.bytes(address);
        // An IPv4 address written mapped into IPv6 (::ffff:10.0.0.0/104) is written with IPv6 prefix lengths.
        boolean mapped = bytes.length == 4 && addressText.indexOf(':') >= 0;
        int bits = mapped ? 128 : bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String prefixText = t.substring(slash + 1);
            if (!prefixText.matches("[0-9]{1,3}") || (prefixText.length() > 1 && prefixText.charAt(0) == '0')
                    || Integer.parseInt(prefixText) > bits) {
                throw new IllegalArgumentException("'" + shown(t) + "' has no valid prefix length: after '/' comes a number from 0 to "
                        + bits + " for an " + (bits == 32 ? "IPv4" : "IPv6") + " network");
            }
            prefix = Integer.parseInt(prefixText);
            if (mapped && prefix < 96) {
                throw new IllegalArgumentException("'" + shown(t) + "' is an IPv4 address mapped into IPv6; its prefix length is from 96 to 128");
            }
        }
        if (mapped) {
            prefix -= 96;
        }
        byte[] masked = mask(bytes, prefix);
        if (!Arrays.equals(masked, bytes)) {
            Cidr meant = new Cidr(masked, prefix);
            throw new IllegalArgumentException("'" + shown(t) + "' has bits set after its " + prefix + "-bit prefix; did you mean "
                    + meant + " (or " + IpAddress.text(address) + " alone)?");
        }
        return new Cidr(masked, prefix);
    }

    /** Whether {@code address} lies in this network; an IPv4 address mapped into IPv6 counts as IPv4. */
    public boolean contains(InetAddress address) {
        return address != null && contains(IpBits.of(IpAddress.bytes(address)));
    }

    /** Whether the address literal {@code address} lies in this network; anything that is no address does not. */
    public boolean contains(String address) {
        return contains(IpBits.parse(address));
    }

    /** Whether {@code address} lies in this network; null (no address) does not. */
    public boolean contains(IpBits address) {
        return address != null && address.v4 == v4 && (address.high & maskHigh) == networkHigh && (address.low & maskLow) == networkLow;
    }

    public int prefixLength() {
        return prefix;
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xFF << (8 - keep)));
        }
        return out;
    }

    private static String shown(String text) {
        String cut = text.length() > 60 ? text.substring(0, 60) + "…" : text;
        StringBuilder sb = new StringBuilder();
        cut.codePoints().forEach(c -> sb.append(Character.isISOControl(c) ? String.format("\\u%04X", c) : Character.toString(c)));
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && prefix == other.prefix && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    /** {@code 10.0.0.0/8}, {@code 0:0:0:0:0:0:0:1/128}: the form {@link #parse} reads back. */
    @Override
    public String toString() {
        try {
            return IpAddress.text(InetAddress.getByAddress(network)) + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
