package io.pledge.consent.ledger;

import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The subjects this service knows (from account.events and from their own consents), which of them are
 * minors and who their guardian is (policy 7), and who may act on whose consents.
 */
@ApplicationScoped
@Transactional
public class Subjects {

    /** Who acts on a subject's consents. */
    public record Actor(String kind, UUID id) {
        public static final String SUBJECT = "SUBJECT";
        public static final String GUARDIAN = "GUARDIAN";
        public static final String CONTROLLER = "CONTROLLER";

        public boolean guardian() {
            return GUARDIAN.equals(kind);
        }
    }

    private record Minor(boolean minor, UUID guardianId) {
    }

    private final EntityManager em;

    public Subjects(EntityManager em) {
        this.em = em;
    }

    /**
     * Records that the subject exists. An erased subject stays erased: an erasure is never undone here (the writes
     * that call this refuse an erased subject first, {@code ConsentLedger#lockAndRead}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void ensureKnown(UUID subject) {
        em.createNativeQuery("insert into known_subject (subject_id) values (?1) on conflict (subject_id) do nothing")
                .setParameter(1, subject).executeUpdate();
    }

    /** account.events AccountRegistered: a minor's consent is given by a guardian. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void registered(UUID subject, boolean minor) {
        em.createNativeQuery("insert into known_subject (subject_id, minor) values (?1, ?2) on conflict (subject_id) "
                + "do update set minor = known_subject.minor or excluded.minor").setParameter(1, subject)
                .setParameter(2, minor).executeUpdate();
    }

    /** account.events AccountCancelled: remembered for as long as anything of the subject is kept (policy 5.4). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void cancelled(UUID subject, Instant at) {
        em.createNativeQuery("insert into known_subject (subject_id, cancelled_at) values (?1, ?2) on conflict (subject_id) "
                + "do update set cancelled_at = coalesce(known_subject.cancelled_at, excluded.cancelled_at)")
                .setParameter(1, subject).setParameter(2, Sql.time(at)).executeUpdate();
    }

    /** account.events GuardianLinked: from now on only this guardian grants for the ward. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void guardianLinked(UUID ward, UUID guardian) {
        em.createNativeQuery("insert into known_subject (subject_id, minor, guardian_id) values (?1, true, ?2) "
                        + "on conflict (subject_id) do update set minor = true, guardian_id = excluded.guardian_id")
                .setParameter(1, ward).setParameter(2, guardian).executeUpdate();
    }

    /**
     * Who the caller acts as on {@code subject}'s consents, or a 403 problem. A minor may refuse or withdraw
     * but only the linked guardian may grant (policy 7); a guardian acts only for their own wards.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Actor authorizeChange(UUID subject, JsonWebToken caller, boolean granting) {
        UUID callerId = callerId(caller);
        Minor m = minor(subject);
        if (callerId != null && callerId.equals(subject) && caller.getGroups().contains(Roles.SUBJECT)) {
            if (granting && m.minor()) {
                throw new ProblemException(ProblemType.FORBIDDEN,
                        "Consent for a minor is given by the linked guardian (policy 7).");
            }
            return new Actor(Actor.SUBJECT, subject);
        }
        if (callerId != null && caller.getGroups().contains(Roles.GUARDIAN) && callerId.equals(m.guardianId())) {
            return new Actor(Actor.GUARDIAN, callerId);
        }
        throw new ProblemException(ProblemType.FORBIDDEN, "The token does not allow acting on this subject's consents.");
    }

    /** Whether the caller may read the subject's consents, ledger and receipts. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public void authorizeRead(UUID subject, JsonWebToken caller, boolean holdersToo) {
        UUID callerId = callerId(caller);
        if (callerId != null && callerId.equals(subject) && caller.getGroups().contains(Roles.SUBJECT)) {
            return;
        }
        if (caller.getGroups().contains(Roles.PRIVACY_OFFICER) || holdersToo && caller.getGroups().contains(Roles.HOLDER)) {
            return;
        }
        if (callerId != null && caller.getGroups().contains(Roles.GUARDIAN) && callerId.equals(minor(subject).guardianId())) {
            return;
        }
        throw new ProblemException(ProblemType.FORBIDDEN, "The token does not allow reading this subject's consents.");
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<UUID> guardianOf(UUID subject) {
        return Optional.ofNullable(minor(subject).guardianId());
    }

    private Minor minor(UUID subject) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select minor, guardian_id from known_subject where subject_id = ?1")
                .setParameter(1, subject).getResultList();
        return rows.isEmpty() ? new Minor(false, null) : new Minor((Boolean) rows.get(0)[0], Sql.uuid(rows.get(0)[1]));
    }

    private static UUID callerId(JsonWebToken caller) {
        try {
            return caller.getSubject() == null ? null : UUID.fromString(caller.getSubject());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
