package io.pledge.notification.contact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pledge.kit.security.ServiceTokens;
import io.pledge.notification.config.NotificationConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * JSON calls to other Pledge services with this service's holder token for that service ({@link ServiceTokens}, one
 * per audience); a 401 fetches a new token once (the other service may have restarted with a new key).
 */
@ApplicationScoped
public class ServiceCalls {

    /** An answer: status and JSON body (null when not JSON). */
    public record Answer(int status, JsonNode body) {
    }

    private final ObjectMapper json;
    private final ServiceTokens tokens;
    private final Duration timeout;
    private final HttpClient http;

    public ServiceCalls(ObjectMapper json, ServiceTokens tokens, NotificationConfig config) {
        this.json = json;
        this.tokens = tokens;
        this.timeout = config.delivery().callTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** GET {@code uri} of Pledge service {@code audience}. */
    public Answer get(String audience, URI uri, String unavailableCode) {
        return call(audience, uri, null, unavailableCode);
    }

    /** POST {@code body} to {@code uri} of Pledge service {@code audience}. */
    public Answer post(String audience, URI uri, Object body, String unavailableCode) {
        return call(audience, uri, body, unavailableCode);
    }

    private Answer call(String audience, URI uri, Object body, String unavailableCode) {
        for (int attempt = 1; ; attempt++) {
            String auth;
            try {
                auth = tokens.authorization(audience, uri);
            } catch (RuntimeException e) {
                throw new Unavailable(unavailableCode, "no holder token for this service (" + e.getClass().getSimpleName() + ")");
            }
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                        .header("Authorization", auth).header("Accept", "application/json");
                if (body != null) {
                    b.header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
                } else {
                    b.GET();
                }
                HttpResponse<byte[]> res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (res.statusCode() == 401 && attempt == 1) {
                    tokens.invalidate(audience);
                    continue;
                }
                JsonNode node = null;
                try {
                    node = res.body().length == 0 ? null : json.readTree(res.body());
                } catch (java.io.IOException notJson) {
                    // an answer without a JSON body: the status says enough
                }
                return new Answer(res.statusCode(), node);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable(unavailableCode, "interrupted");
            } catch (java.io.IOException e) {
                throw new Unavailable(unavailableCode, uri.getHost() + ":" + uri.getPort() + " unreachable (" + e.getClass().getSimpleName() + ")");
            }
        }
    }
}
