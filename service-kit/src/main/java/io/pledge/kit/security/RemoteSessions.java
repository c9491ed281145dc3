package io.pledge.kit.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.DefaultBean;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Every service but account-service: a token's session is checked by asking account-service's
 * {@code POST /internal/v1/sessions/status} (a cached introspection: the token in the body, this service's own client
 * token, scope {@link Scopes#SESSION_READ}, as the credential). A live answer is remembered for
 * {@code pledge.security.session-check.cache-for} ({@code PT1S}), so a session that ends is refused everywhere within
 * that time; an ended one is remembered until the token expires. account-service unreachable, or any answer but
 * {@code live: true}, means refused (fail closed).
 */
@ApplicationScoped
@DefaultBean
public class RemoteSessions implements Sessions {

    static final String AUDIENCE = "account-service";

    private record Answer(boolean live, long until) {
    }

    private final URI status;
    private final long cacheMillis;
    private final ServiceTokens tokens;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    public RemoteSessions(ServiceTokens tokens, ObjectMapper json,
                          @ConfigProperty(name = "pledge.outbound.account-url") String accountUrl,
                          @ConfigProperty(name = "pledge.security.session-check.cache-for", defaultValue = "PT1S")
                          Duration cacheFor) {
        this.tokens = tokens;
        this.json = json;
        this.status = URI.create(accountUrl.replaceAll("/$", "") + "/internal/v1/sessions/status");
        this.cacheMillis = cacheFor.toMillis();
    }

    @Override
    public boolean live(JsonWebToken token) {
        String sid = Sessions.sessionId(token);
        if (sid == null) {
            return false;
        }
        String key = token.getSubject() + " " + sid;
        long now = System.currentTimeMillis();
        Answer known = answers.get(key);
        if (known != null && known.until() > now) {
            return known.live();
        }
        boolean live = ask(token.getRawToken());
        long until = live ? now + cacheMillis : token.getExpirationTime() * 1000;
        if (answers.size() > 10_000) {
            answers.values().removeIf(a -> a.until() <= now);
        }
        answers.put(key, new Answer(live, until));
        return live;
    }

    private boolean ask(String rawToken) {
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                HttpRequest request = HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(3))
                        .header("Authorization", tokens.authorization(AUDIENCE, status))
                        .header("Content-Type", "application/json").header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(Map.of("token", rawToken))))
                        .build();
                HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 401 && attempt == 1) {
                    tokens.invalidate(AUDIENCE);
                    continue;
                }
                if (r.statusCode() != 200) {
                    Log.warnf("session check answered %d: the token is refused", r.statusCode());
                    return false;
                }
                JsonNode body = json.readTree(r.body());
                return body.path("live").asBoolean(false);
            } catch (IOException | RuntimeException e) {
                Log.warnf("session check failed (%s): the token is refused", e.getClass().getSimpleName());
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
