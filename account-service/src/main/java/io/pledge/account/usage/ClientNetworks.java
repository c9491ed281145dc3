package io.pledge.account.usage;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Client addresses as usage records keep them: the network only (by default /24 for IPv4, /48 for
 * IPv6), enough for coarse location and abuse statistics, never the address of one device.
 */
public final class ClientNetworks {

    private static final Pattern IPV4 = Pattern.compile("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:.]{2,45}$");

    private ClientNetworks() {
    }

    /**
     * The network of {@code address} in CIDR form ({@code 203.0.113.0/24}, {@code 2001:db8:1234::/48}),
     * or null when it is not a literal IP address (nothing else is ever stored).
     */
    public static String truncate(String address, int v4Prefix, int v6Prefix) {
        if (address == null) {
            return null;
        }
        String a = address.strip();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        boolean v4 = IPV4.matcher(a).matches();
        if (v4) {
            for (String octet : a.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return null;
                }
            }
        }
        if (!v4 && !(a.contains(":") && IPV6.matcher(a).matches())) {
            return null;
        }
        byte[] bytes;
        try {
            // a literal only: InetAddress does no lookup for a string of digits, dots and colons
            bytes = InetAddress.getByName(a).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
        int prefix = bytes.length == 4 ? v4Prefix : v6Prefix;
        if (bytes.length == 16 && isV4Mapped(bytes)) {
            byte[] v4bytes = new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
            bytes = v4bytes;
            prefix = v4Prefix;
        }
        prefix = Math.max(0, Math.min(prefix, bytes.length * 8));
        for (int bit = prefix; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            String net = InetAddress.getByAddress(bytes).getHostAddress();
            if (bytes.length == 16) {
                net = compress(net);
            }
            return net + "/" + prefix;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /** RFC 5952 short form: the longest run of zero groups becomes {@code ::}. */
    private static String compress(String full) {
        String[] g = full.split(":");
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < g.length; ) {
            if (g[i].equals("0")) {
                int j = i;
                while (j < g.length && g[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen && j - i > 1) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return String.join(":", g);
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(g, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(g, bestStart + bestLen, g.length));
        return head + "::" + tail;
    }
}
