package io.pledge.rights.ledger;

import io.pledge.events.account.AccountCancelled;
import io.pledge.events.consent.ConsentWithdrawn;
import io.pledge.events.notification.BreachDeclared;
import io.pledge.events.notification.CessationScheduled;
import io.pledge.events.rights.HolderReplied;
import io.pledge.events.rights.RightsRequestSubmitted;
import io.pledge.events.rights.RightsRequestVerified;
import io.pledge.kit.outbox.Outbox;
import io.pledge.rights.config.RightsConfig;
import io.pledge.rights.deadline.BusinessCalendar;
import io.pledge.rights.requests.RequestStatus;
import io.pledge.rights.requests.RequestTypes;
import io.pledge.rights.requests.RightsRequest;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Requests that start from events rather than from a subject's submission: an account cancelled (6.5), a consent
 * withdrawn (6.4), an incident declared (5.3), a cessation reaching its end (6.9), a retained item reaching its
 * until-date (5.4). Their subjects were verified where the event began, so they are dispatched at once. Runs inside
 * the inbox's (or the watchdog's) transaction.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Intake {

    private final Propagation propagation;
    private final Outbox outbox;
    private final EntityManager em;
    private final RightsConfig config;
    private final BusinessCalendar calendar;

    public Intake(Propagation propagation, Outbox outbox, EntityManager em, RightsConfig config,
                  BusinessCalendar calendar) {
        this.propagation = propagation;
        this.outbox = outbox;
        this.em = em;
        this.config = config;
        this.calendar = calendar;
    }

    public void registered(UUID subjectId, Instant at) {
        em.createNativeQuery("insert into known_subject (subject_id, registered_at) values (?1, ?2) "
                + "on conflict (subject_id) do nothing").setParameter(1, subjectId).setParameter(2, at).executeUpdate();
    }

    /** policy 6.5: account-service cancelled the account; the erasure of everything is propagated from here. */
    public void cancelled(AccountCancelled e) {
        em.createNativeQuery("insert into known_subject (subject_id, cancelled_at) values (?1, ?2) "
                        + "on conflict (subject_id) do update set cancelled_at = excluded.cancelled_at")
                .setParameter(1, e.subjectId()).setParameter(2, e.cancelledAt()).executeUpdate();
        if (e.erasureRequestId() != null) {
            return; // someone issued the erasure already
        }
        RightsRequest r = erasure(e.subjectId(), RequestTypes.CANCELLATION, "CANCELLATION", "ACCOUNT_CANCELLED",
                Propagation.allCategories(), e.cancelledAt(), null);
        outbox.publish(new RightsRequestSubmitted(r.id, r.subjectId, r.type, "SUBJECT", r.dueAt, r.submittedAt));
        outbox.publish(new RightsRequestVerified(r.id, r.subjectId, r.verifiedAt));
        propagation.dispatch(r);
    }

    /** policy 6.4: a withdrawal reaches every holder processing that purpose. */
    public void withdrawn(ConsentWithdrawn e) {
        RightsRequest r = base(e.subjectId(), RequestTypes.CONSENT_SCOPE, "CONSENT_WITHDRAWN", e.withdrawnAt());
        r.purposeId = e.purposeId();
        r.recipientId = e.recipientId();
        r.persist();
        String by = "GUARDIAN".equals(e.actor()) ? "GUARDIAN" : "SUBJECT";
        outbox.publish(new RightsRequestSubmitted(r.id, r.subjectId, r.type, by, r.dueAt, r.submittedAt));
        outbox.publish(new RightsRequestVerified(r.id, r.subjectId, r.verifiedAt));
        propagation.dispatch(r);
    }

    /** policy 5.3: every active holder of the affected categories takes its measures and acknowledges. */
    public void breach(BreachDeclared e) {
        RightsRequest r = base(null, RequestTypes.BREACH_MEASURES, "INCIDENT", e.declaredAt());
        r.relatedId = e.incidentId();
        r.categories = e.categories().toArray(String[]::new);
        r.persist();
        propagation.dispatch(r);
    }

    public void cessationScheduled(CessationScheduled e) {
        em.createNativeQuery("insert into cessation (id, ends_at, status) values (?1, ?2, 'SCHEDULED') "
                + "on conflict (id) do nothing").setParameter(1, e.cessationId()).setParameter(2, e.endsAt()).executeUpdate();
    }

    /** A retained item reached its until-date (policy 5.4): the holder that kept it erases it now. */
    public RightsRequest retentionExpired(UUID subjectId, String holderId, String category, UUID origin) {
        RightsRequest r = base(subjectId, RequestTypes.DELETION, "RETENTION", Instant.now());
        r.ground = "RETENTION_EXPIRED";
        r.categories = new String[] {category};
        r.relatedId = origin;
        r.persist();
        outbox.publish(new RightsRequestSubmitted(r.id, r.subjectId, r.type, "OPERATOR", r.dueAt, r.submittedAt));
        dispatchTo(r, holderId);
        return r;
    }

    /** policy 6.9: at the end of operation, the erasure of one known subject. */
    public RightsRequest cessation(UUID subjectId, UUID cessationId) {
        RightsRequest r = erasure(subjectId, RequestTypes.DELETION, "CESSATION", "CESSATION", Propagation.allCategories(),
                Instant.now(), cessationId);
        outbox.publish(new RightsRequestSubmitted(r.id, r.subjectId, r.type, "OPERATOR", r.dueAt, r.submittedAt));
        propagation.dispatch(r);
        return r;
    }

    private RightsRequest erasure(UUID subjectId, String type, String ground, String origin, String[] categories,
                                  Instant at, UUID related) {
        RightsRequest r = base(subjectId, type, origin, at);
        r.ground = ground;
        r.categories = categories;
        r.relatedId = related;
        r.persist();
        return r;
    }

    private RightsRequest base(UUID subjectId, String type, String origin, Instant at) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        RightsRequest r = new RightsRequest();
        r.id = UUID.randomUUID();
        r.subjectId = subjectId;
        r.type = type;
        r.origin = origin;
        r.submittedBy = origin;
        r.submittedAt = now;
        r.verifiedAt = at == null ? now : at.truncatedTo(ChronoUnit.MICROS);
        r.dueAt = calendar.dueAfterBusinessDays(now, config.deadlines().businessDays().getOrDefault(type,
                config.deadlines().defaultBusinessDays()));
        r.originalDueAt = r.dueAt;
        r.status = RequestStatus.IN_PROGRESS;
        Log.debugf("request %s (%s) from %s", r.id, type, origin);
        return r;
    }

    /** Dispatch to one named holder only (a follow-up for what that holder retained). */
    private void dispatchTo(RightsRequest r, String holderId) {
        io.pledge.rights.registry.Holder h = io.pledge.rights.registry.Holder.findById(holderId);
        if (h == null || !io.pledge.rights.registry.Holder.ACTIVE.equals(h.status)) {
            // the holder left the registry; its offboarding erased everything it held
            propagation.dispatch(withNoHolder(r));
            return;
        }
        String[] cats = r.categories;
        r.categories = cats;
        propagation.dispatchOnly(r, h);
    }

    private static RightsRequest withNoHolder(RightsRequest r) {
        r.categories = new String[] {"none-held"};
        return r;
    }

    static boolean retained(HolderReplied reply) {
        return reply.retained() != null;
    }
}
