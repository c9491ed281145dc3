package io.pledge.rights.verification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.problem.RetryLater;
import io.pledge.kit.security.ServiceTokens;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Identity verification through account-service (policies 6.2, 10.2): a code goes to the subject's verified contact
 * (account-service sends it through notification-service) and the subject gives it back here. Contract:
 * {@code POST /internal/v1/identity-verifications} and {@code …/{verificationId}/confirmation}, with this service's
 * holder token.
 */
@ApplicationScoped
public class AccountClient {

    /** A code was sent. */
    public record Verification(String verificationId, String channel, Instant expiresAt) {
    }

    /** The audience of this client's token: account-service only. */
    private static final String ACCOUNT_SERVICE = "account-service";

    private final ServiceTokens tokens;
    private final ObjectMapper json;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public AccountClient(ServiceTokens tokens, ObjectMapper json, @ConfigProperty(name = "pledge.account.url") String url) {
        this.tokens = tokens;
        this.json = json;
        this.base = url.replaceAll("/$", "");
    }

    public Verification start(UUID subjectId, String channel, UUID reference) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subjectId", subjectId.toString());
        if (channel != null) {
            body.put("channel", channel);
        }
        body.put("reference", reference.toString());
        HttpResponse<String> r = post("/internal/v1/identity-verifications", body);
        switch (r.statusCode()) {
            case 200, 201, 202 -> {
                JsonNode n = read(r);
                return new Verification(n.path("verificationId").asText(), n.path("channel").asText(null),
                        Instant.parse(n.path("expiresAt").asText()));
            }
            case 404 -> throw new ProblemException(ProblemType.NOT_FOUND, "There is no account for this subject.",
                    "subjectId");
            case 409 -> throw new ProblemException(ProblemType.CONFLICT,
                    "The subject has no verified contact to send a verification code to.", "subjectId");
            // account-service's limit on codes per contact: the subject may try again later, nothing is down
            case 429 -> throw new RetryLater(ProblemType.TOO_MANY_REQUESTS,
                    "Too many verification codes were sent to this subject's contact; try again later.",
                    Duration.ofSeconds(r.headers().firstValueAsLong("Retry-After").orElse(60)));
            default -> throw unavailable(r.statusCode());
        }
    }

    /** True when the code verified; a wrong, expired or used-up code is a 422 problem. */
    public Instant confirm(String verificationId, UUID subjectId, String code) {
        HttpResponse<String> r = post("/internal/v1/identity-verifications/" + verificationId + "/confirmation",
                Map.of("subjectId", subjectId.toString(), "code", code));
        if (r.statusCode() == 200) {
            JsonNode n = read(r);
            if (!n.path("verified").asBoolean(false) || !subjectId.toString().equals(n.path("subjectId").asText())) {
                throw new ProblemException(ProblemType.UNPROCESSABLE, "The code does not verify.", "code");
            }
            String at = n.path("verifiedAt").asText(null);
            return at == null ? Instant.now() : Instant.parse(at);
        }
        if (r.statusCode() == 422 || r.statusCode() == 404 || r.statusCode() == 400) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "The code does not verify.", "code");
        }
        throw unavailable(r.statusCode());
    }

    private HttpResponse<String> post(String path, Object body) {
        try {
            URI target = URI.create(base + path);
            HttpRequest req = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                    .header("Authorization", tokens.authorization(ACCOUNT_SERVICE, target)).header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 401) {
                tokens.invalidate(ACCOUNT_SERVICE);
            }
            return r;
        } catch (IOException | IllegalStateException e) {
            Log.warnf("account-service unreachable for identity verification: %s", e.getClass().getSimpleName());
            throw unavailable(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(0);
        }
    }

    private JsonNode read(HttpResponse<String> r) {
        try {
            return json.readTree(r.body());
        } catch (IOException e) {
            throw unavailable(r.statusCode());
        }
    }

    private static ProblemException unavailable(int status) {
        return new ProblemException(ProblemType.UNAVAILABLE, "Identity verification is unavailable right now"
                + (status == 0 ? "" : " (account-service answered " + status + ")") + "; try again later.");
    }
}
