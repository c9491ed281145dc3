package io.pledge.consent.ledger;

import io.pledge.consent.config.ConsentConfig;
import io.pledge.events.consent.ConsentRequested;
import io.pledge.kit.outbox.Outbox;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Asks every known subject for consent to one purpose ({@code ConsentRequested}): when a purpose is added
 * (reason NEW_PURPOSE, policy 2.3) or a material policy version changes it (POLICY_CHANGE, 9.2). A job
 * is recorded in the transaction that decides it and fanned out afterwards in batches ordered by subject
 * id, each batch one transaction with its events, so a restart resumes where it stopped. Each subject asked gets a
 * {@code consent_request} row whose id the event carries: notification-service sends the notice naming it, and the
 * subject answers it ({@code POST /v1/consent-requests/{id}/answer}); a cancelled or erased account is not asked.
 */
@ApplicationScoped
public class ConsentRequests {

    public static final String NEW_PURPOSE = "NEW_PURPOSE";
    public static final String POLICY_CHANGE = "POLICY_CHANGE";

    private final EntityManager em;
    private final Outbox outbox;
    private final ConsentConfig config;

    public ConsentRequests(EntityManager em, Outbox outbox, ConsentConfig config) {
        this.em = em;
        this.outbox = outbox;
        this.config = config;
    }

    /** One subject's consent request as the API shows it. */
    public record Request(UUID requestId, UUID subjectId, String purposeId, String reason, String policyVersion,
                          Instant requestedAt, Instant answeredAt, UUID answerRecordId) {
    }

    /** A subject's consent requests, newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Request> forSubject(UUID subject) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(SELECT + "where subject_id = ?1 order by requested_at desc, id")
                .setParameter(1, subject).getResultList();
        return rows.stream().map(ConsentRequests::map).toList();
    }

    /** One consent request. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public java.util.Optional<Request> find(UUID requestId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(SELECT + "where id = ?1").setParameter(1, requestId).getResultList();
        return rows.stream().map(ConsentRequests::map).findFirst();
    }

    private static final String SELECT = "select id, subject_id, purpose_id, reason, policy_version, requested_at, "
            + "answered_at, answer_record_id from consent_request ";

    private static Request map(Object[] r) {
        return new Request(Sql.uuid(r[0]), Sql.uuid(r[1]), (String) r[2], (String) r[3], (String) r[4], Sql.instant(r[5]),
                Sql.instant(r[6]), Sql.uuid(r[7]));
    }

    /** Records a request job in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void schedule(String purposeId, String reason, String policyVersion) {
        em.createNativeQuery("insert into consent_request_job (id, purpose_id, reason, policy_version) values (?1, ?2, ?3, ?4)")
                .setParameter(1, UUID.randomUUID()).setParameter(2, purposeId).setParameter(3, reason)
                .setParameter(4, Sql.text(policyVersion)).executeUpdate();
    }

    @Scheduled(every = "${pledge.consent.request-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "2s")
    void fanOut() {
        while (QuarkusTransaction.requiringNew().call(this::oneBatch)) {
            // keep going while a batch was full
        }
    }

    /** One batch of one open job; true when more may follow. */
    boolean oneBatch() {
        @SuppressWarnings("unchecked")
        List<Object[]> jobs = em.createNativeQuery("select id, purpose_id, reason, policy_version, after_subject "
                + "from consent_request_job where done_at is null order by created_at limit 1 for update skip locked")
                .getResultList();
        if (jobs.isEmpty()) {
            return false;
        }
        Object[] job = jobs.get(0);
        UUID id = Sql.uuid(job[0]);
        String purpose = (String) job[1];
        String reason = (String) job[2];
        String version = (String) job[3];
        UUID after = Sql.uuid(job[4]);
        @SuppressWarnings("unchecked")
        List<Object> subjects = em.createNativeQuery("select subject_id from known_subject where erased_at is null "
                        + "and cancelled_at is null "
                        + "and (cast(?1 as uuid) is null or subject_id > cast(?1 as uuid)) order by subject_id limit ?2")
                .setParameter(1, Sql.uuidParam(after)).setParameter(2, config.requestBatch())
                .getResultList();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID last = after;
        for (Object s : subjects) {
            last = Sql.uuid(s);
            UUID requestId = UUID.randomUUID();
            int inserted = em.createNativeQuery("insert into consent_request (id, job_id, subject_id, purpose_id, reason, "
                            + "policy_version, requested_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7) on conflict (job_id, subject_id) do nothing")
                    .setParameter(1, requestId).setParameter(2, id).setParameter(3, last).setParameter(4, purpose)
                    .setParameter(5, reason).setParameter(6, Sql.text(version)).setParameter(7, Sql.time(now)).executeUpdate();
            if (inserted == 1) {
                outbox.publish(new ConsentRequested(last, purpose, reason, version, now, requestId));
            }
        }
        boolean done = subjects.size() < config.requestBatch();
        em.createNativeQuery("update consent_request_job set after_subject = ?2, subjects_asked = subjects_asked + ?3, "
                        + "done_at = case when ?4 then now() else null end where id = ?1")
                .setParameter(1, id).setParameter(2, Sql.uuidParam(last)).setParameter(3, subjects.size()).setParameter(4, done)
                .executeUpdate();
        if (done) {
            Log.infof("consent for purpose %s requested (%s)", purpose, reason);
        }
        return true;
    }
}
