package io.pledge.audit.holder;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pledge.audit.config.AuditConfig;
import io.pledge.audit.ledger.AuditEntry;
import io.pledge.events.EventJson;
import io.pledge.events.EventTypes;
import io.pledge.events.rights.BreachMeasuresRequested;
import io.pledge.events.rights.CorrectionRequested;
import io.pledge.events.rights.ErasureRequested;
import io.pledge.events.rights.ExportRequested;
import io.pledge.events.rights.ProcessingStopRequested;
import io.pledge.events.rights.HolderReplied;
import io.pledge.kit.events.PoisonRecordException;
import io.pledge.kit.holder.HolderSigner;
import io.pledge.kit.outbox.Outbox;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * audit-service as a holder (ARCHITECTURE, the holder protocol): for a rights command that names it among the
 * expected holders, it replies on rights.replies through the outbox, in the transaction that records the command,
 * so a command is answered exactly once. Erasure: the subject's bodies are removed in that transaction
 * ({@link SubjectErasure}) and the reply says what was removed and what stays. Export:
 * EXPORTED, pointing at the subject's history. Correction and processing stop: NOT_HELD (no personal fields are
 * held and no purpose is processed here). Breach measures: APPLIED when the category {@code audit} is affected.
 */
@ApplicationScoped
public class HolderReplies {

    /** The count of a subject's entries that stay in the chain without their bodies. */
    public static final String SKELETONS = "pseudonymous-skeletons";

    private final Outbox outbox;
    private final SubjectErasure erasure;
    private final HolderSigner signer;
    private final AuditConfig config;

    public HolderReplies(Outbox outbox, AuditConfig config, HolderSigner signer, SubjectErasure erasure) {
        this.erasure = erasure;
        this.signer = signer;
        this.outbox = outbox;
        this.config = config;
    }

    /** Answers the rights commands among newly recorded entries. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onRecorded(List<AuditEntry> recorded) {
        for (AuditEntry e : recorded) {
            String type = e.eventType();
            if (type.equals(EventTypes.ERASURE_REQUESTED.type())) {
                ErasureRequested cmd = read(e, ErasureRequested.class);
                if (cmd.holderIds().contains(config.holderId())) {
                    erase(cmd, e.seq());
                }
            } else if (type.equals(EventTypes.EXPORT_REQUESTED.type())) {
                ExportRequested cmd = read(e, ExportRequested.class);
                if (cmd.holderIds().contains(config.holderId())) {
                    reply(cmd.requestId(), cmd.subjectId(), "ExportRequested", "EXPORTED", historyUrl(cmd.subjectId()));
                }
            } else if (type.equals(EventTypes.PROCESSING_STOP_REQUESTED.type())) {
                ProcessingStopRequested cmd = read(e, ProcessingStopRequested.class);
                if (cmd.holderIds().contains(config.holderId())) {
                    // the audit log processes no purpose of the catalogue; it only records
                    reply(cmd.requestId(), cmd.subjectId(), "ProcessingStopRequested", "NOT_HELD", null);
                }
            } else if (type.equals(EventTypes.BREACH_MEASURES_REQUESTED.type())) {
                BreachMeasuresRequested cmd = read(e, BreachMeasuresRequested.class);
                if (cmd.holderIds().contains(config.holderId())) {
                    // the chain is verified as the measure: a tampered log would show in the next checkpoint
                    reply(cmd.requestId(), null, "BreachMeasuresRequested",
                            cmd.categories().contains("audit") ? "APPLIED" : "NOT_HELD", null);
                }
            } else if (type.equals(EventTypes.CORRECTION_REQUESTED.type())) {
                CorrectionRequested cmd = read(e, CorrectionRequested.class);
                if (cmd.holderIds().contains(config.holderId())) {
                    reply(cmd.requestId(), cmd.subjectId(), "CorrectionRequested", "NOT_HELD", null);
                }
            }
        }
    }

    /**
     * Removes the subject's bodies ({@link SubjectErasure}) and says what was done: ANONYMIZED when entries stay as
     * pseudonymous skeletons with every body removed, RETAINED when a category's bodies are kept by law (with basis
     * and last day; rights-request-service sends the follow-up erasure after it), NOT_HELD when nothing of the subject
     * was recorded before the command. Counts: bodies removed per category, and {@code pseudonymous-skeletons}, the
     * subject's entries that stay in the chain.
     */
    private void erase(ErasureRequested cmd, long commandSeq) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<String> only = "RETENTION_EXPIRED".equals(cmd.ground()) ? cmd.categories() : null;
        SubjectErasure.Result r = erasure.erase(cmd.subjectId(), commandSeq, only, now);
        Map<String, Integer> counts = new TreeMap<>(r.removed());
        counts.put(SKELETONS, r.entries());
        String outcome = !r.retained().isEmpty() ? "RETAINED" : r.entries() == 0 ? "NOT_HELD" : "ANONYMIZED";
        publish(new HolderReplied(cmd.requestId(), config.holderId(), cmd.subjectId(), "ErasureRequested", outcome,
                counts, r.retained().isEmpty() ? null : r.retained(), null, null, now));
        Log.infof("erasure %s of subject %s: %s, %d bodies removed, %d entries stay pseudonymous", cmd.requestId(),
                cmd.subjectId(), outcome, r.removed().values().stream().mapToInt(Integer::intValue).sum(), r.entries());
    }

    /** Where a subject's part of an export is fetched with an authorised call: every entry, unpaged. */
    public String historyUrl(UUID subjectId) {
        String base = config.publicUrl().endsWith("/") ? config.publicUrl().substring(0, config.publicUrl().length() - 1)
                : config.publicUrl();
        return base + "/v1/audit/subjects/" + subjectId + "/export";
    }

    private void reply(UUID requestId, UUID subjectId, String command, String outcome, String exportLocation) {
        publish(new HolderReplied(requestId, config.holderId(), subjectId, command, outcome, null, null,
                exportLocation, null, Instant.now().truncatedTo(ChronoUnit.MILLIS)));
    }

    private static <T> T read(AuditEntry e, Class<T> type) {
        try {
            return EventJson.mapper().readValue(e.body(), type);
        } catch (JsonProcessingException ex) {
            throw new PoisonRecordException("body does not map to " + type.getSimpleName());
        }
    }

    /** Every reply leaves signed by this service's holder key (issue 16): rights-request-service counts no other. */
    private void publish(HolderReplied reply) {
        outbox.publish(signer.sign(reply));
    }
}
