package io.pledge.kit.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.IDN;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/**
 * Where this service's outbound HTTP calls may go, decided in one place.
 * <ul>
 * <li>Pledge's own services ({@code pledge.outbound.account-url} = {@code pledge.account.url},
 * {@code pledge.outbound.consent-url} = {@code pledge.consent.url}, {@code pledge.outbound.rights-url},
 * {@code pledge.outbound.notification-url}, {@code pledge.outbound.audit-url}): the only origins (scheme, host, port) that ever
 * receive this service's token ({@link ServiceTokens#authorization(URI)} asks {@link #isPledgeService}).</li>
 * <li>Everything else a holder or an operator supplies (webhook URLs, export base URLs and locations):
 * {@link #checkExternal} requires https, no userinfo, no fragment, and a host that resolves only to public
 * addresses (no loopback, link-local, private, unique-local, unspecified or multicast address), except for the hosts
 * of {@code pledge.outbound.allowed-hosts} (the embedded default's and the tests' 127.0.0.1 and localhost; empty in
 * profile cluster), which may also use http. Checked when a URL is registered and again before every call, since
 * DNS can change in between.</li>
 * </ul>
 */
@ApplicationScoped
public class OutboundPolicy {

    /** The configuration keys naming Pledge's own services' base URLs. */
    public static final List<String> SERVICE_URL_KEYS = List.of("pledge.outbound.account-url", "pledge.outbound.consent-url",
            "pledge.outbound.rights-url", "pledge.outbound.notification-url", "pledge.outbound.audit-url");

    /** Why an outbound URL was refused; the message names the rule, never the URL (it may carry ids). */
    public static class Refused extends IllegalStateException {
        public Refused(String reason) {
            super(reason);
        }
    }

    private final Set<String> serviceOrigins = new LinkedHashSet<>();
    private final Set<String> allowedHosts = new LinkedHashSet<>();

    public OutboundPolicy(Config config) {
        for (String key : SERVICE_URL_KEYS) {
            config.getOptionalValue(key, String.class).filter(v -> !v.isBlank()).ifPresent(v -> {
                String origin = origin(URI.create(v.trim()));
                if (origin != null) {
                    serviceOrigins.add(origin);
                }
            });
        }
        Optional<String[]> hosts = config.getOptionalValue("pledge.outbound.allowed-hosts", String[].class);
        hosts.ifPresent(hs -> {
            for (String h : hs) {
                if (!h.isBlank()) {
                    allowedHosts.add(h.trim().toLowerCase(Locale.ROOT));
                }
            }
        });
    }

    /** The origins that receive this service's token. */
    public Set<String> serviceOrigins() {
        return Set.copyOf(serviceOrigins);
    }

    /** Whether {@code target} is one of Pledge's own services (same scheme, host and port, no userinfo). */
    public boolean isPledgeService(URI target) {
        String o = origin(target);
        return o != null && target.getRawUserInfo() == null && serviceOrigins.contains(o);
    }

    /**
     * The one place a Pledge bearer token goes into an outbound request: {@code Bearer <token>} for a call to
     * {@code target}, which must be one of Pledge's own services.
     *
     * @throws Refused for any other target, so the token never leaves for a host it was not meant for
     */
    public String bearer(URI target, String token) {
        if (!isPledgeService(target)) {
            throw new Refused("a Pledge token is only sent to Pledge's own services");
        }
        return "Bearer " + token;
    }

    /** Whether a host is on the explicit allow-list (may be loopback or private, may use http). */
    public boolean isAllowListed(String host) {
        return host != null && allowedHosts.contains(host.toLowerCase(Locale.ROOT));
    }

    /**
     * Checks a URL a holder or operator supplied for outbound calls; returns it parsed.
     *
     * @throws Refused naming the rule it breaks
     */
    public URI checkExternal(String url) {
        URI u = parse(url);
        String host = u.getHost().toLowerCase(Locale.ROOT);
        boolean listed = isAllowListed(host);
        if (!"https".equals(u.getScheme()) && !("http".equals(u.getScheme()) && listed)) {
            throw new Refused("it must use https");
        }
        if (!listed) {
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                throw new Refused("its host does not resolve");
            }
            for (InetAddress a : addresses) {
                if (!isPublic(a)) {
                    throw new Refused("its host resolves to a loopback, link-local, private, unspecified or multicast address");
                }
            }
        }
        return u;
    }

    /** Whether an address is a public unicast one (what an external URL may resolve to). */
    public static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            // 0/8 "this network", 100.64/10 shared address space (carrier NAT), 192.0.0/24, 198.18/15 benchmarking,
            // 240/4 reserved and 255.255.255.255
            return first != 0 && !(first == 100 && second >= 64 && second < 128) && !(first == 192 && second == 0 && (b[2] & 0xff) == 0)
                    && !(first == 198 && (second == 18 || second == 19)) && first < 240;
        }
        if (a instanceof Inet6Address) {
            // fc00::/7 unique local; ::ffff:0:0/96 IPv4-mapped is judged by its IPv4 address
            if ((b[0] & 0xfe) == 0xfc) {
                return false;
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Parses an absolute http(s) URL strictly: a host, no userinfo, no fragment, no percent-encoded or backslash
     * characters in the path, no dot segments or empty segments.
     */
    public static URI parse(String url) {
        if (url == null || url.isBlank() || url.length() > 2000) {
            throw new Refused("it is missing or longer than 2000 characters");
        }
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refused("it is not a valid URL");
        }
        if (!u.isAbsolute() || u.isOpaque() || u.getRawAuthority() == null || u.getHost() == null
                || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))) {
            throw new Refused("it is not an absolute http(s) URL with a host");
        }
        if (u.getRawUserInfo() != null || url.substring(url.indexOf("//") + 2).split("[/?#]", 2)[0].contains("@")) {
            throw new Refused("it carries userinfo");
        }
        if (u.getRawFragment() != null) {
            throw new Refused("it carries a fragment");
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        if (path.contains("%") || path.contains("\\") || path.contains(";") || path.contains("//")) {
            throw new Refused("its path carries encoded characters, a backslash, a ';' or an empty segment");
        }
        for (String segment : path.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new Refused("its path carries a dot segment");
            }
        }
        if (!u.getHost().startsWith("[") && !IDN.toASCII(u.getHost()).equalsIgnoreCase(u.getHost())) {
            throw new Refused("its host is not in ASCII (use its punycode form)");
        }
        return u;
    }

    /**
     * Whether {@code location} lies under {@code base}: same scheme, host (case-insensitive) and effective port, and
     * the location's path starts with the base's path at a segment boundary. Both must pass {@link #parse}.
     */
    public static boolean isUnder(String location, String base) {
        URI l;
        URI b;
        try {
            l = parse(location);
            b = parse(base);
        } catch (Refused e) {
            return false;
        }
        if (!origin(l).equals(origin(b))) {
            return false;
        }
        String bp = b.getRawPath() == null ? "" : b.getRawPath().replaceAll("/+$", "");
        String lp = l.getRawPath() == null ? "" : l.getRawPath();
        return lp.equals(bp) || lp.startsWith(bp + "/");
    }

    /** {@code scheme://host:port}, lower case, the port made explicit; null without a host. */
    public static String origin(URI u) {
        if (u.getScheme() == null || u.getHost() == null) {
            return null;
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        int port = u.getPort() >= 0 ? u.getPort() : "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
        return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** The hosts on the allow-list. */
    public List<String> allowedHosts() {
        return new ArrayList<>(allowedHosts);
    }
}
