package io.pledge.kit.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which client address a request comes from, given the proxies this service trusts (CIDRs). {@code X-Forwarded-For}
 * is read only when the direct peer is a trusted proxy, and then from the right: each trusted proxy appends the address
 * it received the request from, so the right-most address that is not a trusted proxy is the first one no trusted party
 * vouches for beyond. Everything left of it was written by the client and is ignored (a client can put anything there).
 */
public final class TrustedProxies {

    private static final Pattern IPV4 = Pattern.compile("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:.]{2,45}$");

    private record Cidr(byte[] network, int prefix) {
        boolean contains(byte[] a) {
            if (a.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((a[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Cidr> trusted;

    private TrustedProxies(List<Cidr> trusted) {
        this.trusted = trusted;
    }

    /**
     * Parses {@code 10.0.0.0/8}, {@code 127.0.0.1} (= /32), {@code ::1/128}; an entry that is not a CIDR of a literal
     * address is refused with an {@link IllegalArgumentException} naming it (a typo must not silently trust nobody, or
     * everybody).
     */
    public static TrustedProxies of(List<String> cidrs) {
        List<Cidr> out = new ArrayList<>();
        for (String raw : cidrs == null ? List.<String>of() : cidrs) {
            String s = raw.strip();
            if (s.isEmpty()) {
                continue;
            }
            int slash = s.indexOf('/');
            byte[] net = literal(slash < 0 ? s : s.substring(0, slash));
            if (net == null) {
                throw new IllegalArgumentException("not a CIDR: " + s);
            }
            int prefix;
            try {
                prefix = slash < 0 ? net.length * 8 : Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a CIDR: " + s);
            }
            if (prefix < 0 || prefix > net.length * 8) {
                throw new IllegalArgumentException("not a CIDR: " + s);
            }
            out.add(new Cidr(net, prefix));
        }
        return new TrustedProxies(List.copyOf(out));
    }

    /** Whether {@code address} (a literal) is one of the trusted proxies. */
    public boolean trusts(String address) {
        byte[] a = literal(address);
        return a != null && trusted.stream().anyMatch(c -> c.contains(a));
    }

    /**
     * The client address of a request whose direct peer is {@code peer} and whose {@code X-Forwarded-For} headers (in
     * the order received; each may list several addresses) are {@code forwardedFor}. The peer itself unless it is
     * trusted; else the right-most forwarded address that is not trusted. An entry that is not an IP literal ends the
     * walk at the nearest address seen (a trusted proxy would not write one), and when every entry is trusted the
     * left-most is the client.
     */
    public String clientAddress(String peer, List<String> forwardedFor) {
        String p = normalise(peer);
        if (p == null || !trusts(p) || forwardedFor == null || forwardedFor.isEmpty()) {
            return p == null ? peer : p;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            if (header == null) {
                continue;
            }
            for (String part : header.split(",")) {
                if (!part.isBlank()) {
                    hops.add(part.strip());
                }
            }
        }
        String nearest = p;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = normalise(hops.get(i));
            if (hop == null) {
                return nearest;
            }
            if (!trusts(hop)) {
                return hop;
            }
            nearest = hop;
        }
        return nearest;
    }

    /**
     * The canonical text of an IP literal (brackets, a port and an IPv6 zone removed; an IPv4-mapped IPv6 address as
     * IPv4), or null when it is not one. Never does a name lookup.
     */
    public static String normalise(String address) {
        byte[] b = literal(address);
        if (b == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(b).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] literal(String address) {
        if (address == null) {
            return null;
        }
        String a = address.strip();
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            if (close < 0) {
                return null;
            }
            a = a.substring(1, close);
        } else if (a.indexOf(':') >= 0 && a.indexOf(':') == a.lastIndexOf(':') && a.indexOf('.') > 0) {
            a = a.substring(0, a.indexOf(':')); // 203.0.113.7:4711
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
        } else if (!(a.contains(":") && IPV6.matcher(a).matches())) {
            return null;
        }
        byte[] bytes;
        try {
            // a literal only: InetAddress does no lookup for a string of digits, dots and colons
            bytes = InetAddress.getByName(a).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
        if (bytes.length == 16 && v4Mapped(bytes)) {
            return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
        }
        return bytes;
    }

    private static boolean v4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
