package io.pledge.notification.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code Idempotency-Key} for POSTs that create something (an incident, a cessation): the first answer to a
 * key is stored in the same transaction as the effect and replayed for a repeat, which creates nothing new.
 */
@ApplicationScoped
public class IdempotentRequests {

    private final EntityManager em;
    private final ObjectMapper json;

    public IdempotentRequests(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    /** Runs {@code action} once per (scope, key); a repeat returns the first result. A null key just runs it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T> T once(String scope, String key, Class<T> type, Supplier<T> action) {
        if (key == null || key.isBlank()) {
            return action.get();
        }
        if (key.length() > 200) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "Idempotency-Key is longer than 200 characters.",
                    "Idempotency-Key");
        }
        // one request per key at a time: a concurrent repeat waits for the first and then replays it
        em.createNativeQuery("select pg_advisory_xact_lock(hashtext(?1))").setParameter(1, scope + ":" + key).getSingleResult();
        Optional<T> earlier = find(scope, key, type);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        T result = action.get();
        try {
            em.createNativeQuery("insert into idempotent_request (scope, key, body, created_at) values (?1, ?2, ?3, ?4)")
                    .setParameter(1, scope).setParameter(2, key)
                    .setParameter(3, json.writeValueAsString(result)).setParameter(4, Instant.now())
                    .executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store the answer to an idempotent request", e);
        }
        return result;
    }

    private <T> Optional<T> find(String scope, String key, Class<T> type) {
        @SuppressWarnings("unchecked")
        List<String> rows = em.createNativeQuery("select body from idempotent_request where scope = ?1 and key = ?2")
                .setParameter(1, scope).setParameter(2, key).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(rows.get(0), type));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored idempotent answer unreadable", e);
        }
    }
}
