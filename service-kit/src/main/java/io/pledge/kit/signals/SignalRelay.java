package io.pledge.kit.signals;

import io.pledge.kit.security.Roles;
import io.quarkus.logging.Log;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Policies 3.1, 3.2: a {@code Sec-GPC: 1} or {@code DNT: 1} signal is honoured on every ordinary request, not only on
 * the consent settings. When a signed-in subject's request to any Pledge service carries one, this filter forwards it,
 * after the response and off the request's thread, to consent-service's {@code POST /v1/signals} with the subject's
 * own bearer token (so consent-service records it for the subject the token names, and nobody else), where it becomes
 * the subject's refusal of every tracking purpose. A subject and signal forwarded successfully are not forwarded again
 * for {@code pledge.signals.relay.remember} (consent-service records a repeated signal as nothing new anyway); a failed
 * forward is tried again on the subject's next request. Nothing is sent for other callers (holders, staff, anonymous).
 */
@ApplicationScoped
public class SignalRelay {

    private final boolean enabled;
    private final URI target;
    private final long rememberMillis;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Long> forwarded = new ConcurrentHashMap<>();

    @Inject
    SecurityIdentity identity;

    public SignalRelay(@ConfigProperty(name = "pledge.signals.relay.enabled", defaultValue = "true") boolean enabled,
                       @ConfigProperty(name = "pledge.outbound.consent-url") String consentUrl,
                       @ConfigProperty(name = "pledge.signals.relay.remember", defaultValue = "PT10M") Duration remember) {
        this.enabled = enabled;
        this.target = URI.create(consentUrl.replaceAll("/$", "") + "/v1/signals");
        this.rememberMillis = remember.toMillis();
    }

    /** The signal a request carries: Sec-GPC outranks DNT; null when neither says 1. */
    public static String signal(String dnt, String gpc) {
        return "1".equals(gpc == null ? null : gpc.trim()) ? "GPC" : "1".equals(dnt == null ? null : dnt.trim()) ? "DNT" : null;
    }

    @ServerResponseFilter
    public void afterResponse(ContainerRequestContext request, ContainerResponseContext response) {
        if (!enabled) {
            return;
        }
        String dnt = request.getHeaderString("DNT");
        String gpc = request.getHeaderString("Sec-GPC");
        String signal = signal(dnt, gpc);
        if (signal == null || response.getStatus() == 401 || response.getStatus() == 403) {
            return;
        }
        String path = request.getUriInfo().getPath();
        path = path.startsWith("/") ? path : "/" + path;
        if (path.startsWith("/v1/signals") || path.startsWith("/q/")) {
            return;
        }
        String authorization = request.getHeaderString("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ") || identity == null || identity.isAnonymous()
                || !identity.hasRole(Roles.SUBJECT)) {
            return;
        }
        String key = identity.getPrincipal().getName() + " " + signal;
        long now = System.currentTimeMillis();
        Long until = forwarded.get(key);
        if (until != null && until > now) {
            return;
        }
        if (forwarded.size() > 100_000) {
            forwarded.values().removeIf(u -> u <= now); // forgotten once past: the map stays as large as a window's subjects
        }
        forwarded.put(key, now + rememberMillis);
        HttpRequest.Builder forward = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(5))
                .header("Authorization", authorization).POST(HttpRequest.BodyPublishers.noBody());
        if (gpc != null) {
            forward.header("Sec-GPC", gpc.trim());
        }
        if (dnt != null) {
            forward.header("DNT", dnt.trim());
        }
        String agent = request.getHeaderString("User-Agent");
        if (agent != null) {
            forward.header("User-Agent", agent);
        }
        http.sendAsync(forward.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
            if (e != null || r.statusCode() >= 300) {
                forwarded.remove(key);
                Log.warnf("privacy signal %s of a subject not forwarded to consent-service (%s)", signal,
                        e != null ? e.getClass().getSimpleName() : "status " + r.statusCode());
            }
        });
    }
}
