package io.pledge.rights.ledger;

import io.pledge.events.PrivacyEvent;
import io.pledge.events.rights.BreachMeasuresRequested;
import io.pledge.events.rights.CorrectionRequested;
import io.pledge.events.rights.ErasureRequested;
import io.pledge.events.rights.ExportRequested;
import io.pledge.events.rights.HolderOffboardingRequested;
import io.pledge.events.rights.ProcessingStopRequested;
import io.pledge.rights.requests.RequestTypes;
import io.pledge.rights.requests.RightsRequest;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the rights.commands event a request sends to a set of holders (first send, a correction's second phase and
 * re-sends alike): {@code holderIds} names exactly the holders it goes to (a correction's source first, policy 6.2).
 */
public final class Commands {

    private Commands() {
    }

    /** The command's name, as holders echo it in {@code HolderReplied.command}. */
    public static String name(RightsRequest r) {
        return switch (r.type) {
            case RequestTypes.DELETION, RequestTypes.CANCELLATION -> "ErasureRequested";
            case RequestTypes.CORRECTION -> "CorrectionRequested";
            case RequestTypes.ACCESS, RequestTypes.COPY -> "ExportRequested";
            case RequestTypes.CONSENT_SCOPE, RequestTypes.AUTOMATED_DECISION -> "ProcessingStopRequested";
            case RequestTypes.OFFBOARDING -> "HolderOffboardingRequested";
            case RequestTypes.BREACH_MEASURES -> "BreachMeasuresRequested";
            default -> throw new IllegalArgumentException("no command for request type " + r.type);
        };
    }

    public static PrivacyEvent build(RightsRequest r, List<String> holderIds, Instant at) {
        List<String> categories = r.categories == null ? List.of() : Arrays.asList(r.categories);
        return switch (name(r)) {
            case "ErasureRequested" -> new ErasureRequested(r.id, r.subjectId, r.ground, categories, holderIds, at, r.dueAt);
            case "CorrectionRequested" -> new CorrectionRequested(r.id, r.subjectId, Arrays.asList(r.fields), holderIds, at,
                    r.dueAt);
            case "ExportRequested" -> new ExportRequested(r.id, r.subjectId, categories, holderIds, r.exportPurpose, at,
                    r.dueAt);
            case "ProcessingStopRequested" -> new ProcessingStopRequested(r.id, r.subjectId, r.purposeId, r.recipientId,
                    holderIds, r.verifiedAt != null ? r.verifiedAt : r.submittedAt);
            case "HolderOffboardingRequested" -> new HolderOffboardingRequested(r.id, r.recipientId, categories, at);
            case "BreachMeasuresRequested" -> new BreachMeasuresRequested(r.id, r.relatedId, categories, holderIds, at,
                    r.dueAt);
            default -> throw new IllegalStateException();
        };
    }
}
