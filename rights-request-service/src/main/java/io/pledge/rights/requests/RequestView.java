package io.pledge.rights.requests;

import io.pledge.rights.ledger.LedgerEntry;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A request as its subject and operators see it: ids, codes, dates and each holder's outcome; never personal values. */
public record RequestView(UUID requestId, UUID subjectId, String type, String status, String origin, String ground,
                          List<String> fields, String purposeId, String recipientId, String exportPurpose,
                          String decisionRef, Boolean optOut, String topic, String workOrder, Instant submittedAt,
                          Instant verifiedAt, Instant dueAt, Instant originalDueAt, String extensionReason,
                          String extensionReasonText, String refusalCode, String refusalText, Long feeCents,
                          String outcomeCode, String explanationCode, Instant completedAt, UUID certificateId,
                          String transferStatus, String stateOwner, Instant stateDeadline, String phase,
                          List<HolderView> holders) {

    /** One expected holder's state in the ledger. */
    public record HolderView(String holderId, String status, String outcome, Instant repliedAt, String failureCode,
                             List<Map<String, Object>> retained, Instant dueAt, Instant escalatedAt, int resends,
                             UUID resolvedByOffboarding) {
    }

    public static RequestView of(RightsRequest r, List<LedgerEntry> entries) {
        return new RequestView(r.id, r.subjectId, r.type, r.status, r.origin, r.ground,
                r.fields == null ? null : Arrays.asList(r.fields), r.purposeId, r.recipientId, r.exportPurpose,
                r.decisionRef, r.optOut, r.topicCode, r.workOrder, r.submittedAt, r.verifiedAt, r.dueAt, r.originalDueAt,
                r.extensionReason, r.extensionReason == null ? null : Reasons.EXTENSIONS.get(r.extensionReason),
                r.refusalCode, r.refusalCode == null ? null : Reasons.REFUSALS.get(r.refusalCode), r.feeCents,
                r.outcomeCode, r.explanationCode, r.completedAt, r.certificateId, r.transferStatus, r.stateOwner,
                r.stateDeadline, r.phase, entries.stream().map(e -> new HolderView(e.holderId(), e.status, e.outcome, e.repliedAt,
                        e.failureCode, e.retained, e.dueAt, e.escalatedAt, e.resendCount, e.resolvedBy)).toList());
    }
}
