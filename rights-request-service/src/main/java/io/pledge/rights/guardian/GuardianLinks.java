package io.pledge.rights.guardian;

import io.pledge.events.account.GuardianLinked;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.UUID;

/**
 * Who may act for a minor here (policy 7): a projection of account-service's {@code GuardianLinked} events. A linked
 * guardian may submit, verify and read rights requests for their ward; nobody else may act for another subject.
 */
@ApplicationScoped
public class GuardianLinks {

    private final EntityManager em;

    public GuardianLinks(EntityManager em) {
        this.em = em;
    }

    /** account.events GuardianLinked, in the inbox's transaction: the latest link of a ward wins. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void linked(GuardianLinked e) {
        em.createNativeQuery("insert into guardian_link (ward_id, guardian_id, linked_at) values (?1, ?2, ?3) "
                        + "on conflict (ward_id) do update set guardian_id = excluded.guardian_id, linked_at = excluded.linked_at "
                        + "where guardian_link.linked_at <= excluded.linked_at")
                .setParameter(1, e.subjectId()).setParameter(2, e.guardianId()).setParameter(3, e.linkedAt()).executeUpdate();
        Log.infof("guardian %s linked to ward %s", e.guardianId(), e.subjectId());
    }

    /** Whether {@code guardian} is the linked guardian of {@code ward}. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean isGuardianOf(UUID guardian, UUID ward) {
        if (guardian == null || ward == null) {
            return false;
        }
        return ((Number) em.createNativeQuery("select count(*) from guardian_link where ward_id = ?1 and guardian_id = ?2")
                .setParameter(1, ward).setParameter(2, guardian).getSingleResult()).longValue() > 0;
    }
}
