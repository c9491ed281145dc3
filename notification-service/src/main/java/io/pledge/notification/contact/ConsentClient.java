package io.pledge.notification.contact;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * consent-service at send time: whether a purpose is permitted for subjects ({@code POST /v1/checks/batch},
 * 100 a call) and one-click unsubscribe links ({@code POST /v1/unsubscribe-tokens}). Fails closed: when
 * consent-service cannot answer, {@link Unavailable} is thrown and nothing consent-gated is sent.
 * Nothing is cached: a withdrawal stops the next message.
 */
@ApplicationScoped
public class ConsentClient {

    private static final int BATCH = 100;

    private final ServiceCalls calls;
    private final String base;

    public ConsentClient(ServiceCalls calls, @ConfigProperty(name = "pledge.consent.url") String base) {
        this.calls = calls;
        this.base = base.replaceAll("/$", "");
    }

    /** The subjects for whom {@code purposeId} is permitted now. */
    public Set<UUID> permitted(List<UUID> subjects, String purposeId) {
        Set<UUID> out = new HashSet<>();
        for (int i = 0; i < subjects.size(); i += BATCH) {
            List<Map<String, Object>> checks = new ArrayList<>();
            for (UUID s : subjects.subList(i, Math.min(subjects.size(), i + BATCH))) {
                checks.add(Map.of("subjectId", s.toString(), "purposeId", purposeId));
            }
            ServiceCalls.Answer a = calls.post("consent-service", URI.create(base + "/v1/checks/batch"), Map.of("checks", checks),
                    "CONSENT_UNAVAILABLE");
            if (a.status() != 200 || a.body() == null || !a.body().path("results").isArray()) {
                throw new Unavailable("CONSENT_UNAVAILABLE", "consent-service answered " + a.status() + " to a consent check");
            }
            for (JsonNode r : a.body().path("results")) {
                if (r.path("permitted").asBoolean(false)) {
                    out.add(UUID.fromString(r.path("subjectId").asText()));
                }
            }
        }
        return out;
    }

    /** A one-click unsubscribe URL for the subject and marketing purpose. */
    public String unsubscribeUrl(UUID subject, String purposeId) {
        ServiceCalls.Answer a = calls.post("consent-service", URI.create(base + "/v1/unsubscribe-tokens"),
                Map.of("subjectId", subject.toString(), "purposeId", purposeId), "CONSENT_UNAVAILABLE");
        if ((a.status() != 200 && a.status() != 201) || a.body() == null || !a.body().hasNonNull("url")) {
            throw new Unavailable("CONSENT_UNAVAILABLE", "consent-service answered " + a.status() + " to an unsubscribe token");
        }
        return a.body().path("url").asText();
    }
}
