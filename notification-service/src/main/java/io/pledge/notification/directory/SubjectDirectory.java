package io.pledge.notification.directory;

import io.pledge.events.account.AccountCancelled;
import io.pledge.events.account.AccountRegistered;
import io.pledge.notification.config.NotificationConfig;
import io.pledge.notification.delivery.DeliveryStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/**
 * Who exists, from account.events: subject ids with locale and status only (no contact value), so that
 * "every subject" notices (policy change, cessation, breach by category) know whom to address.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class SubjectDirectory {

    private final EntityManager em;
    private final DeliveryStore deliveries;
    private final String defaultLocale;

    public SubjectDirectory(EntityManager em, DeliveryStore deliveries, NotificationConfig config) {
        this.em = em;
        this.deliveries = deliveries;
        this.defaultLocale = config.defaultLocale();
    }

    public void registered(AccountRegistered e) {
        em.createNativeQuery("insert into subject_directory (subject_id, locale, status, registered_at, updated_at) "
                        + "values (?1, ?2, 'ACTIVE', ?3, ?4) on conflict (subject_id) do nothing")
                .setParameter(1, e.subjectId()).setParameter(2, defaultLocale).setParameter(3, e.registeredAt())
                .setParameter(4, Instant.now()).executeUpdate();
    }

    /** A cancelled account gets no more "every subject" notices and no marketing (policy 5.4). */
    public void cancelled(AccountCancelled e) {
        em.createNativeQuery("update subject_directory set status = 'CANCELLED', updated_at = ?2 where subject_id = ?1")
                .setParameter(1, e.subjectId()).setParameter(2, Instant.now()).executeUpdate();
        deliveries.cancelMarketing(e.subjectId(), null);
    }

    /** Removes the subject (erasure). */
    public int forget(UUID subject) {
        return em.createNativeQuery("delete from subject_directory where subject_id = ?1").setParameter(1, subject).executeUpdate();
    }
}
