package io.pledge.rights.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.ServiceTokens;
import io.pledge.rights.config.RightsConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A holder's own OAuth client at account-service ({@code /internal/v1/holder-clients}, with this service's client
 * token and {@code holder-client:write}): issued at registration, rotated by an officer, revoked when offboarding
 * starts. The secret is in the answer of issue and rotation only and is never stored here. account-service
 * unreachable or refusing is a 503 problem and nothing is changed.
 */
@ApplicationScoped
public class OAuthClients {

    private static final String ACCOUNT_SERVICE = "account-service";

    /** What a holder is given once: its client id and secret, where to use them, and what it may ask for. */
    public record Credential(String clientId, String clientSecret, String tokenEndpoint, List<String> scopes) {
    }

    private final ServiceTokens tokens;
    private final ObjectMapper json;
    private final String base;
    private final String tokenEndpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public OAuthClients(ServiceTokens tokens, ObjectMapper json, @ConfigProperty(name = "pledge.account.url") String url,
                        RightsConfig config) {
        this.tokens = tokens;
        this.json = json;
        this.base = url.replaceAll("/$", "") + "/internal/v1/holder-clients";
        this.tokenEndpoint = config.holderOauth().tokenEndpoint();
    }

    /** Issues the holder's client a fresh credential with these scopes (again: a new secret, the earlier one refused). */
    public Credential issue(String holderId, Set<String> scopes) {
        HttpResponse<String> r = post("", Map.of("holderId", holderId, "scopes", new TreeSet<>(scopes)), holderId, "issuing");
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw refused(holderId, "issuing", r);
        }
        Log.infof("holder %s: OAuth client issued", holderId);
        return credential(r);
    }

    /** A new secret for the holder's client: the old one and every token issued with it are refused at once. */
    public Credential rotate(String clientId, String holderId) {
        HttpResponse<String> r = post("/" + clientId + "/rotation", null, holderId, "rotating");
        if (r.statusCode() != 200) {
            throw refused(holderId, "rotating", r);
        }
        Log.infof("holder %s: OAuth client rotated", holderId);
        return credential(r);
    }

    /** Revokes the holder's client: its secret and every token issued with it are refused. Already revoked: fine. */
    public void revoke(String clientId, String holderId) {
        HttpResponse<String> r = post("/" + clientId + "/revocation", null, holderId, "revoking");
        if (r.statusCode() != 200 && r.statusCode() != 404) {
            throw refused(holderId, "revoking", r);
        }
        Log.infof("holder %s: OAuth client revoked", holderId);
    }

    private Credential credential(HttpResponse<String> r) {
        try {
            JsonNode n = json.readTree(r.body());
            List<String> scopes = new ArrayList<>();
            n.path("scopes").forEach(s -> scopes.add(s.asText()));
            return new Credential(n.path("clientId").asText(), n.path("clientSecret").asText(), tokenEndpoint, scopes);
        } catch (IOException e) {
            throw unavailable();
        }
    }

    private HttpResponse<String> post(String path, Object body, String holderId, String what) {
        try {
            URI target = URI.create(base + path);
            HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                    .header("Authorization", tokens.authorization(ACCOUNT_SERVICE, target))
                    .header("Accept", "application/json");
            if (body == null) {
                b.POST(HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 401) {
                tokens.invalidate(ACCOUNT_SERVICE);
            }
            return r;
        } catch (IOException | IllegalStateException e) {
            Log.warnf("holder %s: account-service unreachable %s its OAuth client (%s)", holderId, what,
                    e.getClass().getSimpleName());
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
    }

    private static ProblemException refused(String holderId, String what, HttpResponse<String> r) {
        Log.warnf("holder %s: account-service answered %d %s its OAuth client", holderId, r.statusCode(), what);
        if (r.statusCode() == 409) {
            return new ProblemException(ProblemType.CONFLICT, "The holder's OAuth client is revoked.", "oauthScopes");
        }
        return unavailable();
    }

    private static ProblemException unavailable() {
        return new ProblemException(ProblemType.UNAVAILABLE,
                "account-service did not confirm the holder's OAuth client; nothing was changed, try again.", "oauth");
    }
}
