package io.pledge.consent.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pledge.kit.security.ServiceTokens;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The region each holder is registered in (policy 5.4), read from rights-request-service's holder registry
 * ({@code GET /internal/v1/holder-regions}, this service's own client token, scope {@code holder-region:read}) every
 * {@code pledge.consent.registry-interval}. The check uses the registered region of a registered recipient whatever
 * region its caller states or omits, so a transfer abroad cannot skip its check. The last answer is kept while the
 * registry is unreachable.
 */
@ApplicationScoped
public class RegisteredRegions {

    private final ServiceTokens tokens;
    private final ObjectMapper json;
    private final URI source;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile Map<String, String> regions = Map.of();

    public RegisteredRegions(ServiceTokens tokens, ObjectMapper json,
                             @ConfigProperty(name = "pledge.outbound.rights-url") String rightsUrl) {
        this.tokens = tokens;
        this.json = json;
        this.source = URI.create(rightsUrl.replaceAll("/$", "") + "/internal/v1/holder-regions");
    }

    /** The region a recipient is registered in, if the registry knows it. */
    public Optional<String> of(String recipientId) {
        return recipientId == null ? Optional.empty() : Optional.ofNullable(regions.get(recipientId));
    }

    @Scheduled(every = "${pledge.consent.registry-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(source).timeout(Duration.ofSeconds(5))
                    .header("Authorization", tokens.authorization("rights-request-service", source)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 401) {
                tokens.invalidate("rights-request-service");
            }
            if (r.statusCode() != 200) {
                Log.debugf("holder registry answered %d; keeping %d known regions", r.statusCode(), regions.size());
                return;
            }
            Map<String, String> next = new HashMap<>();
            for (JsonNode h : json.readTree(r.body())) {
                if (h.hasNonNull("holderId") && h.hasNonNull("region")) {
                    next.put(h.get("holderId").asText(), h.get("region").asText());
                }
            }
            regions = Map.copyOf(next);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Log.debugf("holder registry unreachable (%s); keeping %d known regions", e.getClass().getSimpleName(),
                    regions.size());
        }
    }
}
