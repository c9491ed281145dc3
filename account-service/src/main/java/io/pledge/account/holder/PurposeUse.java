package io.pledge.account.holder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What account-service processes for a consent-based purpose (policy 6.4): the contact lookups it answered per
 * subject and purpose ({@code purpose_use}), and the processing stops that refuse them from then on. A stop holds
 * until consent-service permits the purpose by a consent record other than the one that permitted the last answered
 * lookup (the subject consented again); a lagging answer naming the old record is refused.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class PurposeUse {

    private final EntityManager em;

    public PurposeUse(EntityManager em) {
        this.em = em;
    }

    /** One subject's use of a purpose: the consent record last relied on, and when it was stopped (or null). */
    public record Use(UUID consentRecordId, Instant stoppedAt) {
    }

    /** The recorded uses of {@code purposeId} among {@code subjects}. */
    public Map<UUID, Use> of(List<UUID> subjects, String purposeId) {
        Map<UUID, Use> out = new HashMap<>();
        if (subjects.isEmpty()) {
            return out;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select subject_id, consent_record_id, stopped_at from purpose_use "
                        + "where purpose_id = ?1 and subject_id in (?2)")
                .setParameter(1, purposeId).setParameter(2, subjects).getResultList();
        for (Object[] r : rows) {
            out.put((UUID) r[0], new Use((UUID) r[1], r[2] == null ? null : toInstant(r[2])));
        }
        return out;
    }

    /** Whether a stop still refuses a lookup that consent-service permits by {@code permittingRecord}. */
    public static boolean refuses(Use use, UUID permittingRecord) {
        return use != null && use.stoppedAt() != null
                && (permittingRecord == null || Objects.equals(permittingRecord, use.consentRecordId()));
    }

    /** An answered lookup: counted, with the consent record that permitted it; a stop it outlived is lifted. */
    public void answered(UUID subject, String purposeId, UUID consentRecordId) {
        em.createNativeQuery("insert into purpose_use (subject_id, purpose_id, consent_record_id, lookups, last_used_at) "
                        + "values (?1, ?2, ?3, 1, ?4) on conflict (subject_id, purpose_id) do update set "
                        + "consent_record_id = excluded.consent_record_id, lookups = purpose_use.lookups + 1, "
                        + "last_used_at = excluded.last_used_at, stopped_at = null, stop_request_id = null")
                .setParameter(1, subject).setParameter(2, purposeId).setParameter(3, consentRecordId)
                .setParameter(4, Instant.now().truncatedTo(ChronoUnit.MICROS)).executeUpdate();
    }

    /**
     * Stops the purpose for the subject: -1 when nothing was ever processed here for it (no use recorded), 0 when a
     * stop was already in force, 1 when lookups are refused from now on.
     */
    public int stop(UUID subject, String purposeId, UUID requestId) {
        int stopped = em.createNativeQuery("update purpose_use set stopped_at = ?3, stop_request_id = ?4 "
                        + "where subject_id = ?1 and purpose_id = ?2 and stopped_at is null")
                .setParameter(1, subject).setParameter(2, purposeId)
                .setParameter(3, Instant.now().truncatedTo(ChronoUnit.MICROS)).setParameter(4, requestId).executeUpdate();
        if (stopped > 0) {
            return 1;
        }
        long known = ((Number) em.createNativeQuery("select count(*) from purpose_use where subject_id = ?1 and purpose_id = ?2")
                .setParameter(1, subject).setParameter(2, purposeId).getSingleResult()).longValue();
        return known == 0 ? -1 : 0;
    }

    /** A subject's rows go with the rest of its data at erasure. */
    public int forget(UUID subject) {
        return em.createNativeQuery("delete from purpose_use where subject_id = ?1").setParameter(1, subject).executeUpdate();
    }

    private static Instant toInstant(Object o) {
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof java.time.OffsetDateTime t) {
            return t.toInstant();
        }
        return ((java.sql.Timestamp) o).toInstant();
    }
}
