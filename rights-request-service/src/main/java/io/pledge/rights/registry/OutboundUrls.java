package io.pledge.rights.registry;

import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.OutboundPolicy;
import io.pledge.rights.config.RightsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Map;

/**
 * The holder URLs this service calls out to (issue 16): webhook URLs and export base URLs are checked at registration
 * ({@link OutboundPolicy#checkExternal}: https, public addresses, no tricks) and again before every call; an
 * {@code exportLocation} must lie under its holder's registered export base. Pledge's own services (kind SERVICE)
 * are bound to the configured public prefixes of {@code pledge.rights.export.rewrites} instead, and fetched from the
 * internal URL each prefix maps to. Only those internal fetches carry this service's token.
 */
@ApplicationScoped
public class OutboundUrls {

    /** Why an exportLocation was refused (holder_reply.refusal_reason). */
    public static final String NO_EXPORT_BASE = "NO_EXPORT_BASE";
    public static final String OUTSIDE_EXPORT_BASE = "OUTSIDE_EXPORT_BASE";
    public static final String INTERNAL_PREFIX = "INTERNAL_PREFIX";
    public static final String NO_LOCATION = "NO_LOCATION";

    private final OutboundPolicy policy;
    private final RightsConfig config;

    public OutboundUrls(OutboundPolicy policy, RightsConfig config) {
        this.policy = policy;
        this.config = config;
    }

    /** Checks a registration's webhook and export base URLs; a refused one is a 400 problem naming the field. */
    public void checkRegistration(HolderRegistration in) {
        if (in.webhookUrl() != null) {
            checkExternal(in.webhookUrl(), "webhookUrl");
        }
        if (in.exportBaseUrl() != null) {
            URI base = checkExternal(in.exportBaseUrl(), "exportBaseUrl");
            if (base.getRawQuery() != null) {
                throw refused("exportBaseUrl", "it carries a query");
            }
            if (policy.isPledgeService(base) || underInternalPrefix(in.exportBaseUrl()) || internalPrefixUnder(in.exportBaseUrl())) {
                throw refused("exportBaseUrl", "it overlaps one of Pledge's own public URL prefixes");
            }
        }
    }

    /** Null when {@code holder} may deliver its export part at {@code location}, else the reason it may not. */
    public String exportRefusal(Holder holder, String location) {
        if (location == null || location.isBlank()) {
            return NO_LOCATION;
        }
        if ("SERVICE".equals(holder.kind)) {
            boolean underOwnBase = holder.exportBaseUrl == null || OutboundPolicy.isUnder(location, holder.exportBaseUrl);
            return underInternalPrefix(location) && underOwnBase ? null : OUTSIDE_EXPORT_BASE;
        }
        if (underInternalPrefix(location)) {
            return INTERNAL_PREFIX;
        }
        if (holder.exportBaseUrl == null) {
            return NO_EXPORT_BASE;
        }
        if (policy.isPledgeService(OutboundPolicy.parse(holder.exportBaseUrl))) {
            return INTERNAL_PREFIX;
        }
        return OutboundPolicy.isUnder(location, holder.exportBaseUrl) ? null : OUTSIDE_EXPORT_BASE;
    }

    /**
     * Where {@code holder}'s export part at {@code location} is fetched from, and whether with this service's token:
     * a Pledge service's part from the internal URL its public prefix maps to (with the token), anyone else's from
     * the location itself (without it), checked again now.
     *
     * @throws OutboundPolicy.Refused when the location no longer passes
     */
    public Target exportTarget(Holder holder, String location) {
        String refusal = exportRefusal(holder, location);
        if (refusal != null) {
            throw new OutboundPolicy.Refused("the export location is refused (" + refusal + ")");
        }
        if ("SERVICE".equals(holder.kind)) {
            URI internal = URI.create(rewrite(location));
            if (!policy.isPledgeService(internal)) {
                throw new OutboundPolicy.Refused("the rewrite of a service's export location is not a Pledge service");
            }
            return new Target(internal, true);
        }
        URI external = policy.checkExternal(location);
        if (policy.isPledgeService(external)) {
            throw new OutboundPolicy.Refused("a third party's export location is one of Pledge's own services");
        }
        return new Target(external, false);
    }

    /** Checks a webhook URL again just before a call. */
    public URI webhookTarget(Holder holder) {
        return policy.checkExternal(holder.webhookUrl);
    }

    /** A URL to fetch, and whether this service's token goes with it. */
    public record Target(URI uri, boolean withServiceToken) {
    }

    /** The longest configured public prefix {@code location} lies under, rewritten to its internal base. */
    String rewrite(String location) {
        String best = null;
        Map<String, String> rewrites = config.export().rewriteMap();
        for (String prefix : rewrites.keySet()) {
            if (OutboundPolicy.isUnder(location, prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        if (best == null) {
            throw new OutboundPolicy.Refused("no internal URL for this export location");
        }
        URI l = URI.create(location);
        String prefixPath = URI.create(best).getRawPath() == null ? "" : URI.create(best).getRawPath().replaceAll("/+$", "");
        String path = l.getRawPath() == null ? "" : l.getRawPath();
        String rest = path.substring(prefixPath.length()) + (l.getRawQuery() == null ? "" : "?" + l.getRawQuery());
        return rewrites.get(best).replaceAll("/$", "") + rest;
    }

    private boolean underInternalPrefix(String url) {
        return config.export().rewriteMap().keySet().stream().anyMatch(p -> OutboundPolicy.isUnder(url, p));
    }

    private boolean internalPrefixUnder(String url) {
        return config.export().rewriteMap().keySet().stream().anyMatch(p -> OutboundPolicy.isUnder(p, url));
    }

    private URI checkExternal(String url, String field) {
        try {
            return policy.checkExternal(url);
        } catch (OutboundPolicy.Refused e) {
            throw refused(field, e.getMessage());
        }
    }

    private static ProblemException refused(String field, String reason) {
        return new ProblemException(ProblemType.INVALID_INPUT, "The " + field + " is refused: " + reason + ".", field);
    }
}
