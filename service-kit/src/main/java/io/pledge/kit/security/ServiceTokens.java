package io.pledge.kit.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This service's own {@code holder} tokens for calls to other Pledge services (account-service's
 * contact lookup, consent-service's checks, …): an OAuth 2.0 client-credentials grant (RFC 6749
 * 4.4) at account-service's {@code POST /v1/oauth/token}, with this service's name as client id and
 * its secret from {@code pledge.client.secret} or {@link ClientSecrets} in the data folder (created
 * there only while {@code pledge.keys.generate-if-missing} is on, the embedded default). Each token
 * names one audience, the service it is sent to, and carries the scopes this service holds there
 * ({@link Scopes#SERVICE_GRANTS}); it is good at no other service. One token per audience is cached
 * until a minute before it expires. A token is only ever handed out for a call to one of Pledge's own
 * services ({@link OutboundPolicy#isPledgeService}): every outbound call with it asks {@link #authorization(String, URI)}.
 */
@ApplicationScoped
public class ServiceTokens {

    private final ObjectMapper json;
    private final OutboundPolicy outbound;
    private final String clientId;
    private final URI tokenUri;
    private final Path dataDir;
    private final Optional<String> configuredSecret;
    private final boolean generate;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private record Cached(String token, Instant refreshAt) {
    }

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public ServiceTokens(ObjectMapper json, OutboundPolicy outbound,
                         @ConfigProperty(name = "quarkus.application.name") String clientId,
                         @ConfigProperty(name = "pledge.account.url") String accountUrl,
                         @ConfigProperty(name = "pledge.data-dir") Path dataDir,
                         @ConfigProperty(name = "pledge.client.secret") Optional<String> configuredSecret,
                         @ConfigProperty(name = "pledge.keys.generate-if-missing") boolean generate) {
        this.json = json;
        this.outbound = outbound;
        this.clientId = clientId;
        this.tokenUri = URI.create(accountUrl.replaceAll("/$", "") + "/v1/oauth/token");
        this.dataDir = dataDir;
        this.configuredSecret = configuredSecret;
        this.generate = generate;
    }

    public String clientId() {
        return clientId;
    }

    /**
     * On the embedded default a service writes its client secret when it starts, not on its first token request: its
     * credentials exist from the moment it is up (account-service, which reads them, and a test that plays the service
     * find them at once). A configured secret or a mounted one (generation off) is never written.
     */
    void createSecretAtStart(@Observes StartupEvent start) {
        if (generate && configuredSecret.filter(s -> !s.isBlank()).isEmpty()) {
            ClientSecrets.readOrCreate(dataDir, clientId);
        }
    }

    /**
     * {@code Bearer <token>} with a token meant for {@code audience} (a Pledge service's name), for the
     * {@code Authorization} header of a call to {@code target}, which must be one of Pledge's own services.
     *
     * @throws OutboundPolicy.Refused for any other target: the token never leaves for a host it is not meant for
     */
    public String authorization(String audience, URI target) {
        if (!outbound.isPledgeService(target)) {
            throw new OutboundPolicy.Refused("a Pledge token is only sent to Pledge's own services");
        }
        return outbound.bearer(target, token(audience));
    }

    /** A valid holder token of this service, meant for {@code audience} only. */
    public String token(String audience) {
        Cached c = cache.get(audience);
        if (c != null && Instant.now().isBefore(c.refreshAt())) {
            return c.token();
        }
        synchronized (this) {
            c = cache.get(audience);
            if (c == null || !Instant.now().isBefore(c.refreshAt())) {
                c = fetch(audience);
                cache.put(audience, c);
            }
            return c.token();
        }
    }

    /** Forgets the cached token for {@code audience}, e.g. after a 401 from a service that restarted with a new key. */
    public void invalidate(String audience) {
        cache.remove(audience);
    }

    private Cached fetch(String audience) {
        if (!Scopes.SERVICES.contains(audience)) {
            throw new IllegalArgumentException("not a Pledge service to ask a token for: " + audience);
        }
        String secret = configuredSecret.filter(s -> !s.isBlank())
                .or(() -> generate ? Optional.of(ClientSecrets.readOrCreate(dataDir, clientId)) : ClientSecrets.read(dataDir, clientId))
                .orElseThrow(() -> new IllegalStateException("no client secret for " + clientId + " and key generation is off: "
                        + "set PLEDGE_CLIENT_SECRET from the Secret pledge-client-" + clientId));
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(tokenUri)
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&audience="
                        + URLEncoder.encode(audience, StandardCharsets.UTF_8)))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("account-service refused a token to " + clientId + " for " + audience
                        + ": HTTP " + response.statusCode());
            }
            JsonNode body = json.readTree(response.body());
            long expiresIn = body.path("expires_in").asLong(300);
            return new Cached(body.path("access_token").asText(), Instant.now().plusSeconds(Math.max(10, expiresIn - 60)));
        } catch (IOException e) {
            throw new IllegalStateException("account-service unreachable for a token to " + clientId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted fetching a token", e);
        }
    }
}
