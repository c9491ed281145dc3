package io.pledge.consent.unsubscribe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pledge.consent.config.ConsentConfig;
import io.pledge.consent.purpose.Purpose;
import io.pledge.consent.purpose.PurposeCatalogue;
import io.pledge.consent.receipt.ReceiptSigner;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One-click unsubscribe tokens (policy 2.2.3): a JWS (ES256, {@code typ} {@value #TYPE}) naming a subject
 * and a marketing purpose, valid until it expires. notification-service puts one in every marketing
 * message; following it withdraws the purpose without logging in.
 */
@ApplicationScoped
public class UnsubscribeTokens {

    public static final String TYPE = "pledge-unsubscribe+jwt";

    /** What a valid token names. */
    public record Claims(UUID subjectId, String purposeId, Instant expiresAt) {
    }

    /** An issued token. */
    public record Issued(String token, String url, Instant expiresAt) {
    }

    private final ReceiptSigner signer;
    private final PurposeCatalogue catalogue;
    private final ConsentConfig config;
    private final ObjectMapper json;

    public UnsubscribeTokens(ReceiptSigner signer, PurposeCatalogue catalogue, ConsentConfig config, ObjectMapper json) {
        this.signer = signer;
        this.catalogue = catalogue;
        this.config = config;
        this.json = json;
    }

    public Issued issue(UUID subject, String purposeId) {
        return issue(subject, purposeId, Instant.now().plus(config.unsubscribeTtl()));
    }

    /** A token expiring at {@code expiresAt} (tests use a past one). */
    public Issued issue(UUID subject, String purposeId, Instant expiresAt) {
        Purpose p = catalogue.require(purposeId, "purposeId");
        if (!p.marketing()) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "Unsubscribe links exist for marketing purposes only.",
                    "purposeId");
        }
        try {
            String token = signer.sign(json.writeValueAsString(Map.of("sub", subject.toString(), "pur", purposeId,
                    "exp", expiresAt.getEpochSecond())), TYPE);
            return new Issued(token, config.publicUrl() + "/v1/unsubscribe?token=" + token,
                    Instant.ofEpochSecond(expiresAt.getEpochSecond()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims of a valid token, or a 400 problem (tampered, malformed) or 422 (expired). */
    public Claims verify(String token) {
        if (token == null || token.isBlank() || token.length() > 2000) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "The unsubscribe token is missing.", "token");
        }
        String payload = signer.verify(token, TYPE);
        if (payload == null) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "The unsubscribe token is not valid.", "token");
        }
        Claims claims;
        try {
            Map<?, ?> m = json.readValue(payload, Map.class);
            claims = new Claims(UUID.fromString((String) m.get("sub")), (String) m.get("pur"),
                    Instant.ofEpochSecond(((Number) m.get("exp")).longValue()));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "The unsubscribe token is not valid.", "token");
        }
        if (!Instant.now().isBefore(claims.expiresAt())) {
            throw new ProblemException(ProblemType.UNPROCESSABLE,
                    "The unsubscribe link has expired; unsubscribe from the consent settings instead.", "token");
        }
        return claims;
    }
}
