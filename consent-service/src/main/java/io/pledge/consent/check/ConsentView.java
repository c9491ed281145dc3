package io.pledge.consent.check;

import io.pledge.consent.ledger.Sql;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory consent state the check API answers from, so that a check never waits on the database.
 * Rebuilt from the {@code consent_state} projection at start; afterwards the ledger applies each record
 * once its transaction committed, and changes committed by other instances of the service arrive through
 * {@link ViewChanges} and {@link #reload(UUID)}. Each subject's map is immutable and replaced whole, and
 * an entry only replaces one with a lower ledger sequence, so concurrent commits can never leave an
 * older state.
 */
@ApplicationScoped
public class ConsentView {

    /** What a consent is about: a purpose, perhaps for one recipient and one region ("" for none). */
    public record Key(String purposeId, String recipient, String region) {
        public static Key of(String purposeId, String recipient, String region) {
            return new Key(purposeId, recipient == null ? "" : recipient, region == null ? "" : region);
        }
    }

    /** The latest ledger record for one key. */
    public record Entry(String status, UUID recordId, long seq, Instant recordedAt, Instant expiresAt,
                        Set<String> transferPurposes) {
    }

    private final ConcurrentHashMap<UUID, Map<Key, Entry>> subjects = new ConcurrentHashMap<>();
    /** Subjects whose account was cancelled: no marketing while anything of theirs is kept (policy 5.4). */
    private final Set<UUID> cancelled = ConcurrentHashMap.newKeySet();
    private final EntityManager em;

    public ConsentView(EntityManager em) {
        this.em = em;
    }

    void rebuild(@Observes @Priority(10) StartupEvent start) {
        int n = rebuild();
        Log.infof("consent view rebuilt: %d entries of %d subjects", n, subjects.size());
    }

    /** Loads the whole projection; returns the number of entries. */
    @Transactional
    public int rebuild() {
        Map<UUID, Map<Key, Entry>> loaded = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select subject_id, purpose_id, recipient_key, region_key, status, "
                + "record_id, record_seq, recorded_at, expires_at, transfer_purposes from consent_state").getResultList();
        for (Object[] r : rows) {
            List<String> tp = Sql.strings(r[9]);
            loaded.computeIfAbsent(Sql.uuid(r[0]), s -> new HashMap<>()).put(
                    new Key((String) r[1], (String) r[2], (String) r[3]),
                    new Entry((String) r[4], Sql.uuid(r[5]), Sql.number(r[6]), Sql.instant(r[7]), Sql.instant(r[8]),
                            tp == null ? Set.of() : Set.copyOf(tp)));
        }
        @SuppressWarnings("unchecked")
        List<Object> gone = em.createNativeQuery("select subject_id from known_subject where cancelled_at is not null")
                .getResultList();
        subjects.clear();
        loaded.forEach((s, m) -> subjects.put(s, Map.copyOf(m)));
        Set<UUID> nowCancelled = new HashSet<>();
        gone.forEach(s -> nowCancelled.add(Sql.uuid(s)));
        cancelled.addAll(nowCancelled); // add before removing, so no cancelled subject is ever missing meanwhile
        cancelled.retainAll(nowCancelled);
        return rows.size();
    }

    /**
     * Reads one subject's committed state again (another instance changed it): entries merge by ledger
     * sequence, so a read that raced with a newer local commit cannot bring an older state back; an
     * erased subject's entries are dropped; the cancellation follows the database.
     */
    @Transactional
    public void reload(UUID subject) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select purpose_id, recipient_key, region_key, status, record_id, "
                + "record_seq, recorded_at, expires_at, transfer_purposes from consent_state where subject_id = ?1")
                .setParameter(1, subject).getResultList();
        @SuppressWarnings("unchecked")
        List<Object[]> known = em.createNativeQuery("select erased_at is not null, cancelled_at is not null "
                + "from known_subject where subject_id = ?1").setParameter(1, subject).getResultList();
        boolean erased = !known.isEmpty() && Boolean.TRUE.equals(known.get(0)[0]);
        if (!known.isEmpty() && Boolean.TRUE.equals(known.get(0)[1])) {
            cancelled.add(subject);
        }
        if (erased && rows.isEmpty()) {
            subjects.remove(subject);
            return;
        }
        for (Object[] r : rows) {
            List<String> tp = Sql.strings(r[8]);
            apply(subject, new Key((String) r[0], (String) r[1], (String) r[2]),
                    new Entry((String) r[3], Sql.uuid(r[4]), Sql.number(r[5]), Sql.instant(r[6]), Sql.instant(r[7]),
                            tp == null ? Set.of() : Set.copyOf(tp)));
        }
    }

    /** A subject's entries; empty when it has none. */
    public Map<Key, Entry> of(UUID subject) {
        return subjects.getOrDefault(subject, Map.of());
    }

    /** Applies a committed record; an older one than the entry held is ignored. */
    public void apply(UUID subject, Key key, Entry entry) {
        subjects.compute(subject, (s, current) -> {
            Map<Key, Entry> m = current == null ? Map.of() : current;
            Entry held = m.get(key);
            if (held != null && held.seq() >= entry.seq()) {
                return current;
            }
            Map<Key, Entry> next = new HashMap<>(m);
            next.put(key, entry);
            return Map.copyOf(next);
        });
    }

    /** Marks a subject's account cancelled (after the cancellation commits). */
    public void cancelled(UUID subject) {
        cancelled.add(subject);
    }

    public boolean isCancelled(UUID subject) {
        return cancelled.contains(subject);
    }

    /** Forgets a subject's consents (erasure); a cancellation stays known, so marketing stays off. */
    public void remove(UUID subject) {
        subjects.remove(subject);
    }

    public int subjectCount() {
        return subjects.size();
    }
}
