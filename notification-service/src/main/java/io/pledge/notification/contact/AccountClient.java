package io.pledge.notification.contact;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * account-service's holder API, called at send time: contact values for a purpose, with the subject's
 * preferred language ({@code POST /internal/v1/contacts}), and the secret part of a verification notice
 * ({@code GET /internal/v1/notices/{id}/secret}). What it answers lives in memory for one delivery
 * attempt and is never stored, logged or published.
 */
@ApplicationScoped
public class AccountClient {

    /**
     * One subject's contact values for a purpose; outcome OK, NOT_PERMITTED or NOT_FOUND. {@code locale} is the
     * subject's preferred language for notices, null when account-service did not say (one from before locales).
     */
    public record Contact(UUID subjectId, String outcome, String email, String mobile, String locale) {
        @Override
        public String toString() {
            return "Contact[" + subjectId + " " + outcome + "]";
        }
    }

    /** The code and address of a verification notice. */
    public record Secret(UUID noticeId, UUID subjectId, String channel, String address, String code, Instant expiresAt,
                         String locale) {
        @Override
        public String toString() {
            return "Secret[" + noticeId + "]";
        }
    }

    public static final int MAX_BATCH = 1000;

    private final ServiceCalls calls;
    private final String base;

    public AccountClient(ServiceCalls calls, @ConfigProperty(name = "pledge.account.url") String base) {
        this.calls = calls;
        this.base = base.replaceAll("/$", "");
    }

    /** Contacts of up to 1,000 subjects for {@code purposeId}; throws {@link Unavailable} when account-service cannot answer. */
    public Map<UUID, Contact> contacts(String purposeId, List<UUID> subjects) {
        Map<UUID, Contact> out = new HashMap<>();
        if (subjects.isEmpty()) {
            return out;
        }
        ServiceCalls.Answer a = calls.post("account-service", URI.create(base + "/internal/v1/contacts"),
                Map.of("purposeId", purposeId, "subjectIds", subjects), "ACCOUNT_UNAVAILABLE");
        if (a.status() != 200 || a.body() == null) {
            throw new Unavailable("ACCOUNT_UNAVAILABLE", "account-service answered " + a.status() + " to a contact lookup");
        }
        for (JsonNode r : a.body().path("results")) {
            UUID s = UUID.fromString(r.path("subjectId").asText());
            out.put(s, new Contact(s, r.path("outcome").asText("NOT_FOUND"), text(r, "email"), text(r, "mobile"),
                    text(r, "locale")));
        }
        return out;
    }

    /** The secret of a verification notice; empty when the code is no longer deliverable (expired, used, unknown). */
    public Optional<Secret> secret(UUID noticeId) {
        ServiceCalls.Answer a = calls.get("account-service", URI.create(base + "/internal/v1/notices/" + noticeId + "/secret"), "ACCOUNT_UNAVAILABLE");
        if (a.status() == 404) {
            return Optional.empty();
        }
        if (a.status() != 200 || a.body() == null) {
            throw new Unavailable("ACCOUNT_UNAVAILABLE", "account-service answered " + a.status() + " to a notice secret");
        }
        JsonNode b = a.body();
        return Optional.of(new Secret(noticeId, UUID.fromString(b.path("subjectId").asText()), text(b, "channel"),
                text(b, "address"), text(b, "code"), b.hasNonNull("expiresAt") ? Instant.parse(b.path("expiresAt").asText()) : null,
                text(b, "locale")));
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.path(field).asText() : null;
    }
}
