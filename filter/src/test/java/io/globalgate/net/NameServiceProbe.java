package io.globalgate.net;

import java.net.InetAddress;

/**
 * Run by {@link IpAddressTest} in a JVM of its own whose name service is a hosts file that answers
 * for each text given: prints what the name service says of the first (the control) and then what
 * the address readers make of each text, one line each.
 */
public final class NameServiceProbe {

    private NameServiceProbe() {
    }

    public static void main(String[] texts) throws Exception {
        System.out.println("name service: " + InetAddress.getByName(texts[0]).getHostAddress());
        for (String text : texts) {
            System.out.println(text + ": " + IpAddress.parse(text) + " " + IpBits.parse(text) + " " + ClientAddress.canonical(text)
                    + " " + ClientAddress.hop("[" + text + "]:80"));
        }
    }
}
