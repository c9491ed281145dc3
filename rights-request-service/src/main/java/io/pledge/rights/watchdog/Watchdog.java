package io.pledge.rights.watchdog;

import io.pledge.rights.config.RightsConfig;
import io.pledge.rights.ledger.Intake;
import io.pledge.rights.ledger.LedgerEntry;
import io.pledge.rights.ledger.Propagation;
import io.pledge.rights.requests.RequestService;
import io.pledge.rights.requests.RequestStatus;
import io.pledge.rights.requests.RequestTypes;
import io.pledge.rights.requests.RightsRequest;
import io.pledge.rights.webhook.WebhookSender;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The watchdog over every non-final state (safe with many instances: every row is claimed with
 * {@code FOR UPDATE SKIP LOCKED} inside its own transaction). Each run: expires unverified requests and unaccepted
 * fee quotes; re-sends (reminds) silent holders; escalates holders past their SLA and requests past their due date,
 * naming holder and request; issues retention follow-up erasures at their until-date (5.4); erases every known
 * subject when a cessation ends (6.9); delivers signed webhook calls.
 */
@ApplicationScoped
public class Watchdog {

    private final EntityManager em;
    private final Propagation propagation;
    private final RequestService requests;
    private final Intake intake;
    private final WebhookSender webhooks;
    private final RightsConfig config;

    public Watchdog(EntityManager em, Propagation propagation, RequestService requests, Intake intake,
                    WebhookSender webhooks, RightsConfig config) {
        this.em = em;
        this.propagation = propagation;
        this.requests = requests;
        this.intake = intake;
        this.webhooks = webhooks;
        this.config = config;
    }

    @Scheduled(every = "${pledge.rights.watchdog.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "2s")
    public void run() {
        step("expiry", this::expire);
        step("resend", this::resend);
        step("escalate-holders", this::escalateHolders);
        step("escalate-requests", this::escalateRequests);
        step("retention", this::retention);
        step("cessation", this::cessation);
        step("webhooks", webhooks::deliverDue);
    }

    private void step(String name, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            Log.warnf("watchdog step %s failed (%s); next run retries", name, e.getClass().getSimpleName());
        }
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> claim(String sql, Object... args) {
        var q = em.createNativeQuery(sql + " limit " + config.watchdog().batch() + " for update skip locked");
        for (int i = 0; i < args.length; i++) {
            q.setParameter(i + 1, args[i]);
        }
        return q.getResultList();
    }

    void expire() {
        QuarkusTransaction.requiringNew().run(() -> {
            List<UUID> ids = claim("select id from rights_request where status in ('AWAITING_VERIFICATION', 'FEE_QUOTED') "
                    + "and state_deadline < ?1", Instant.now());
            for (UUID id : ids) {
                RightsRequest r = RightsRequest.findById(id);
                requests.refuseNow(r, RequestStatus.AWAITING_VERIFICATION.equals(r.status) ? "IDENTITY_NOT_VERIFIED"
                        : "FEE_NOT_ACCEPTED", RequestStatus.EXPIRED);
            }
        });
    }

    void resend() {
        QuarkusTransaction.requiringNew().run(() -> {
            List<Object[]> rows = claim("select l.request_id, l.holder_id from ledger_entry l join rights_request r "
                    + "on r.id = l.request_id where l.status = 'PENDING' and l.last_sent_at < ?1 and l.resend_count < ?2 "
                    // an entry waiting for its holder's offboarding acknowledgement: the offboarding is re-sent instead
                    + "and l.resolved_by is null order by l.last_sent_at", Instant.now().minus(config.watchdog().resendAfter()),
                    config.watchdog().maxResends());
            for (Object[] row : rows) {
                RightsRequest r = RightsRequest.findById(row[0]);
                propagation.resend(r, LedgerEntry.find((UUID) row[0], (String) row[1]));
            }
        });
    }

    void escalateHolders() {
        QuarkusTransaction.requiringNew().run(() -> {
            Instant now = Instant.now();
            List<Object[]> rows = claim("select l.request_id, l.holder_id from ledger_entry l join rights_request r "
                    + "on r.id = l.request_id where l.status <> 'FINAL' and l.due_at < ?1 and l.escalated_at is null "
                    + "order by l.due_at", now);
            for (Object[] row : rows) {
                RightsRequest r = RightsRequest.findById(row[0]);
                LedgerEntry e = LedgerEntry.find((UUID) row[0], (String) row[1]);
                propagation.escalate(r, e, now, "HOLDER_PAST_SLA");
            }
        });
    }

    void escalateRequests() {
        QuarkusTransaction.requiringNew().run(() -> {
            Instant now = Instant.now();
            List<UUID> ids = claim("select id from rights_request where status in ('IN_PROGRESS', 'AWAITING_OPERATOR') "
                    + "and due_at < ?1 and escalated_at is null", now);
            for (UUID id : ids) {
                RightsRequest r = RightsRequest.findById(id);
                r.escalatedAt = now;
                propagation.escalate(r, Propagation.OFFICER_QUEUE, r.dueAt, now, "REQUEST_OVERDUE");
            }
        });
    }

    void retention() {
        QuarkusTransaction.requiringNew().run(() -> {
            List<Object[]> rows = claim("select id, request_id, holder_id, subject_id, category from retention_followup "
                    + "where status = 'SCHEDULED' and until_date < ?1 order by until_date",
                    LocalDate.now(config.deadlines().zone()));
            for (Object[] row : rows) {
                RightsRequest r = intake.retentionExpired((UUID) row[3], (String) row[2], (String) row[4], (UUID) row[1]);
                em.createNativeQuery("update retention_followup set status = 'ISSUED', followup_request_id = ?1 where id = ?2")
                        .setParameter(1, r.id).setParameter(2, row[0]).executeUpdate();
                Log.infof("retention of %s by %s ended: follow-up erasure %s", row[4], row[2], r.id);
            }
        });
    }

    void cessation() {
        QuarkusTransaction.requiringNew().run(() -> {
            List<UUID> due = claim("select id from cessation where status = 'SCHEDULED' and ends_at <= ?1", Instant.now());
            for (UUID cessationId : due) {
                @SuppressWarnings("unchecked")
                // every subject, cancelled ones too: what a holder still keeps of them (by law, after a cancellation)
                // is erased now or answered RETAINED again, with its own follow-up at its until-date
                List<UUID> subjects = em.createNativeQuery("select s.subject_id from known_subject s where not exists "
                                + "(select 1 from rights_request r where r.related_id = ?1 and r.subject_id = s.subject_id) "
                                + "order by s.subject_id limit ?2")
                        .setParameter(1, cessationId).setParameter(2, config.cessationBatch()).getResultList();
                for (UUID s : subjects) {
                    intake.cessation(s, cessationId);
                }
                if (subjects.isEmpty()) {
                    long n = RightsRequest.count("relatedId = ?1 and type = ?2", cessationId, RequestTypes.DELETION);
                    em.createNativeQuery("update cessation set status = 'EXECUTED', executed_at = ?1, subjects = ?2 "
                            + "where id = ?3").setParameter(1, Instant.now()).setParameter(2, (int) n)
                            .setParameter(3, cessationId).executeUpdate();
                    Log.infof("cessation %s executed: %d erasures issued", cessationId, n);
                }
            }
        });
    }

    static boolean locked(RightsRequest r) {
        return RightsRequest.findById(r.id, LockModeType.PESSIMISTIC_WRITE) != null;
    }
}
