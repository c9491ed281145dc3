package io.pledge.account.holder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pledge.account.config.AccountConfig;
import io.pledge.account.token.TokenIssuer;
import io.pledge.kit.security.OutboundPolicy;
import io.pledge.kit.security.Scopes;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Asks consent-service ({@code POST {pledge.consent.url}/v1/checks/batch}, 100 questions a call) whether
 * a purpose is permitted for subjects, with a holder token this service signs for itself. Fails
 * closed: an unreachable consent-service or an unexpected answer permits nothing. Answers are not
 * cached: a withdrawal must stop the next read.
 */
@ApplicationScoped
public class ConsentClient {

    private static final int BATCH = 100;

    private final HttpClient http;
    private final ObjectMapper json;
    private final TokenIssuer issuer;
    private final OutboundPolicy outbound;
    private final URI base;
    private final Duration timeout;

    public ConsentClient(ObjectMapper json, TokenIssuer issuer, OutboundPolicy outbound, AccountConfig config,
                         @ConfigProperty(name = "pledge.consent.url", defaultValue = "http://127.0.0.1:8082") URI base) {
        this.json = json;
        this.issuer = issuer;
        this.outbound = outbound;
        this.base = base;
        this.timeout = config.holder().consentTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The subjects for whom {@code purposeId} is permitted now; empty when consent-service cannot say. */
    public Set<UUID> permitted(List<UUID> subjects, String purposeId) {
        return permittedBy(subjects, purposeId).keySet();
    }

    /**
     * The subjects for whom {@code purposeId} is permitted now, each with the consent record that permits it (null when
     * consent-service named none); empty when consent-service cannot say.
     */
    public Map<UUID, UUID> permittedBy(List<UUID> subjects, String purposeId) {
        Map<UUID, UUID> out = new HashMap<>();
        // account-service signs its own client token, with what it holds at consent-service (Scopes.SERVICE_GRANTS)
        String token = issuer.clientToken("account-service", "consent-service",
                Scopes.forAudience(Scopes.SERVICE_GRANTS.get("account-service"), "consent-service"), Duration.ofMinutes(5));
        for (int i = 0; i < subjects.size(); i += BATCH) {
            List<Map<String, Object>> checks = new ArrayList<>();
            for (UUID s : subjects.subList(i, Math.min(subjects.size(), i + BATCH))) {
                checks.add(Map.of("subjectId", s.toString(), "purposeId", purposeId));
            }
            try {
                URI target = base.resolve("/v1/checks/batch");
                HttpRequest req = HttpRequest.newBuilder(target)
                        .timeout(timeout)
                        .header("Content-Type", "application/json")
                        .header("Authorization", outbound.bearer(target, token))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(Map.of("checks", checks))))
                        .build();
                HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                if (res.statusCode() != 200) {
                    Log.warnf("consent-service answered %d to a consent check; nothing permitted", res.statusCode());
                    return Map.of();
                }
                for (JsonNode r : json.readTree(res.body()).path("results")) {
                    if (r.path("permitted").asBoolean(false)) {
                        String record = r.path("recordId").asText(null);
                        out.put(UUID.fromString(r.path("subjectId").asText()),
                                record == null || record.isBlank() ? null : UUID.fromString(record));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Map.of();
            } catch (Exception e) {
                Log.warnf("consent-service unreachable for a consent check (%s); nothing permitted", e.getClass().getSimpleName());
                return Map.of();
            }
        }
        return out;
    }
}
