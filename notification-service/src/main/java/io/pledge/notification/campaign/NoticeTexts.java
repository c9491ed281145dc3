package io.pledge.notification.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The officer-written texts a campaign's messages carry — an incident's five parts, a cessation's
 * statement — by locale, cached (they never change once declared).
 */
@ApplicationScoped
public class NoticeTexts {

    public static final List<String> INCIDENT_PARTS = List.of("title", "whatHappened", "possibleEffects", "measuresTaken",
            "selfProtection", "remedies");

    private final EntityManager em;
    private final ObjectMapper json;
    private final Map<String, JsonNode> cache = new ConcurrentHashMap<>();

    public NoticeTexts(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    /** An incident's parts in a locale, by part name. */
    public Map<String, String> incident(String incidentId, String locale) {
        JsonNode parts = load("incident:" + incidentId, "select cast(parts as text) from incident where id = ?1", incidentId);
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : INCIDENT_PARTS) {
            out.put(p, parts.path(p).path(locale).asText(parts.path(p).path("zh-CN").asText("")));
        }
        return out;
    }

    /** A cessation's statement in a locale. */
    public String cessation(String cessationId, String locale) {
        JsonNode s = load("cessation:" + cessationId, "select cast(statement as text) from cessation where id = ?1", cessationId);
        return s.path(locale).asText(s.path("zh-CN").asText(""));
    }

    private JsonNode load(String key, String sql, String id) {
        return cache.computeIfAbsent(key, k -> {
            String text = QuarkusTransaction.joiningExisting().call(() -> {
                List<?> rows = em.createNativeQuery(sql).setParameter(1, UUID.fromString(id)).getResultList();
                return rows.isEmpty() ? null : (String) rows.get(0);
            });
            if (text == null) {
                throw new IllegalStateException("no texts for " + k);
            }
            try {
                return json.readTree(text);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("texts of " + k + " unreadable", e);
            }
        });
    }
}
