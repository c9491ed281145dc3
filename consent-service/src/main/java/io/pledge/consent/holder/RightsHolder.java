package io.pledge.consent.holder;

import io.pledge.consent.check.ConsentView;
import io.pledge.consent.config.ConsentConfig;
import io.pledge.consent.ledger.ConsentLedger;
import io.pledge.events.rights.ErasureRequested;
import io.pledge.events.rights.BreachMeasuresRequested;
import io.pledge.events.rights.CorrectionRequested;
import io.pledge.events.rights.ExportRequested;
import io.pledge.events.rights.ProcessingStopRequested;
import io.pledge.events.rights.HolderReplied;
import io.pledge.kit.crypto.SubjectKeyRing;
import io.pledge.kit.holder.HolderSigner;
import io.pledge.kit.outbox.Outbox;
import io.pledge.kit.tx.AfterCommit;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * consent-service as a holder on rights.commands. Erasure removes the subject's current state (projection,
 * in-memory view, a tombstone on consent.state) and the personal evidence (user agents: the subject's
 * key is shredded; client networks cleared), and keeps the ledger and receipts as proof of consent for
 * {@code pledge.consent.proof-retention}, replying RETAINED with that basis and date; an erasure with
 * ground RETENTION_EXPIRED deletes them and replies ERASED. Export replies EXPORTED with the URL of the
 * subject's ledger and receipts.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class RightsHolder {

    public static final String HOLDER_ID = "consent-service";
    public static final String PROOF_BASIS = "CONSENT_PROOF";
    public static final String CATEGORY = "consent-records";

    private final EntityManager em;
    private final Outbox outbox;
    private final HolderSigner signer;
    private final ConsentLedger ledger;
    private final ConsentView view;
    private final SubjectKeyRing keyRing;
    private final ConsentConfig config;
    private final TransactionSynchronizationRegistry transactions;
    private final StateTombstones tombstones;

    public RightsHolder(EntityManager em, Outbox outbox, ConsentLedger ledger, ConsentView view, SubjectKeyRing keyRing,
                        ConsentConfig config, TransactionSynchronizationRegistry transactions, StateTombstones tombstones, HolderSigner signer) {
        this.signer = signer;
        this.em = em;
        this.outbox = outbox;
        this.ledger = ledger;
        this.view = view;
        this.keyRing = keyRing;
        this.config = config;
        this.transactions = transactions;
        this.tombstones = tombstones;
    }

    /** Whether a command names this service among the holders expected to act. */
    public static boolean addressedHere(List<String> holderIds) {
        return holderIds.contains(HOLDER_ID);
    }

    public void erase(ErasureRequested e) {
        UUID subject = e.subjectId();
        ledger.lock(subject);
        int state = em.createNativeQuery("delete from consent_state where subject_id = ?1").setParameter(1, subject)
                .executeUpdate();
        int evidence = em.createNativeQuery("update consent_record set user_agent = null, client_network = null "
                        + "where subject_id = ?1 and (user_agent is not null or client_network is not null)")
                .setParameter(1, subject).executeUpdate();
        keyRing.shred(subject);
        // what the subject was asked and not yet answered goes; an answered request stays with the record answering it
        em.createNativeQuery("delete from consent_request where subject_id = ?1 and (answered_at is null or ?2)")
                .setParameter(1, subject).setParameter(2, "RETENTION_EXPIRED".equals(e.ground())).executeUpdate();
        em.createNativeQuery("insert into known_subject (subject_id, erased_at) values (?1, now()) on conflict (subject_id) "
                + "do update set erased_at = now(), tombstone_sent_at = null").setParameter(1, subject).executeUpdate();

        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        HolderReplied reply;
        if ("RETENTION_EXPIRED".equals(e.ground())) {
            em.createNativeQuery("select set_config('pledge.retention_purge', 'on', true)").getSingleResult();
            int receipts = em.createNativeQuery("delete from consent_receipt where subject_id = ?1").setParameter(1, subject)
                    .executeUpdate();
            int records = em.createNativeQuery("delete from consent_record where subject_id = ?1").setParameter(1, subject)
                    .executeUpdate();
            em.createNativeQuery("select set_config('pledge.retention_purge', 'off', true)").getSingleResult();
            reply = new HolderReplied(e.requestId(), HOLDER_ID, subject, "ErasureRequested", "ERASED",
                    Map.of(CATEGORY, records, "consent-receipts", receipts, "consent-state", state), null, null, null, now);
        } else {
            long records = ledger.recordCount(subject);
            if (records == 0) {
                reply = new HolderReplied(e.requestId(), HOLDER_ID, subject, "ErasureRequested", "ERASED",
                        Map.of("consent-state", state), null, null, null, now);
            } else {
                LocalDate until = LocalDate.ofInstant(now.plus(config.proofRetention()), ZoneOffset.UTC);
                reply = new HolderReplied(e.requestId(), HOLDER_ID, subject, "ErasureRequested", "RETAINED",
                        Map.of(CATEGORY, (int) records, "consent-state", state, "consent-evidence", evidence),
                        List.of(new HolderReplied.RetainedItem(CATEGORY, PROOF_BASIS, until)), null, null, now);
            }
        }
        publish(reply);
        AfterCommit.run(transactions, () -> {
            view.remove(subject);
            tombstones.wake();
        });
        Log.infof("erasure %s of subject %s: %s", e.requestId(), subject, reply.outcome());
    }

    /** consent-service holds no field a subject corrects (ids, purposes and evidence only): NOT_HELD. */
    public void correct(CorrectionRequested e) {
        publish(new HolderReplied(e.requestId(), HOLDER_ID, e.subjectId(), "CorrectionRequested", "NOT_HELD",
                null, null, null, null, Instant.now().truncatedTo(ChronoUnit.MICROS)));
    }

    /**
     * A withdrawal is recorded here first: the check API refuses the purpose from the moment of the
     * ledger record, so the stop is already in force. APPLIED when the ledger's current state agrees.
     */
    public void stopProcessing(ProcessingStopRequested e) {
        boolean stopped = ledger.current(e.subjectId()).stream()
                .filter(c -> c.purposeId().equals(e.purposeId()))
                .filter(c -> e.recipientId() == null || e.recipientId().equals(c.recipientId()))
                .noneMatch(c -> "GIVEN".equals(c.status()));
        publish(new HolderReplied(e.requestId(), HOLDER_ID, e.subjectId(), "ProcessingStopRequested",
                stopped ? "APPLIED" : "FAILED", null, null, null, stopped ? null : "CONSENT_STILL_GIVEN",
                Instant.now().truncatedTo(ChronoUnit.MICROS)));
    }

    /** Policy 5.3: the ledger is append-only and signed by receipts; APPLIED when consent records are affected. */
    public void breachMeasures(BreachMeasuresRequested e) {
        publish(new HolderReplied(e.requestId(), HOLDER_ID, null, "BreachMeasuresRequested",
                e.categories().contains(CATEGORY) ? "APPLIED" : "NOT_HELD", null, null, null, null,
                Instant.now().truncatedTo(ChronoUnit.MICROS)));
    }

    public void export(ExportRequested e) {
        String location = config.publicUrl() + "/v1/consents/" + e.subjectId() + "/export";
        long records = ledger.recordCount(e.subjectId());
        publish(new HolderReplied(e.requestId(), HOLDER_ID, e.subjectId(), "ExportRequested",
                records == 0 ? "NOT_HELD" : "EXPORTED", Map.of(CATEGORY, (int) records), null,
                records == 0 ? null : location, null, Instant.now().truncatedTo(ChronoUnit.MICROS)));
    }

    /** Every reply leaves signed by this service's holder key (issue 16): rights-request-service counts no other. */
    private void publish(HolderReplied reply) {
        outbox.publish(signer.sign(reply));
    }
}
