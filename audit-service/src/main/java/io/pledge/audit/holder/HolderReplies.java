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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * audit-service as a holder (ARCHITECTURE, the holder protocol): for a rights command that names it among the
 * expected holders, it replies on rights.replies through the outbox, in the transaction that records the command,
 * so a command is answered exactly once. Erasure: ANONYMIZED (entries carry only the pseudonymous subject id, whose
 * link to a person goes with account-service's erasure; they outlive it and the chain stays verifiable). Export:
 * EXPORTED, pointing at the subject's history. Correction and processing stop: NOT_HELD (no personal fields are
 * held and no purpose is processed here). Breach measures: APPLIED when the category {@code audit} is affected.
 */
@ApplicationScoped
public class HolderReplies {

    private final Outbox outbox;
    private final HolderSigner signer;
    private final AuditConfig config;

    public HolderReplies(Outbox outbox, AuditConfig config, HolderSigner signer) {
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
                    reply(cmd.requestId(), cmd.subjectId(), "ErasureRequested", "ANONYMIZED", null);
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

    /** Where a subject's part of an export is fetched with an authorised call. */
    public String historyUrl(UUID subjectId) {
        String base = config.publicUrl().endsWith("/") ? config.publicUrl().substring(0, config.publicUrl().length() - 1)
                : config.publicUrl();
        return base + "/v1/audit/subjects/" + subjectId + "/entries";
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
