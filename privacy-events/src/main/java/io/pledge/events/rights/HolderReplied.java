package io.pledge.events.rights;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A holder's outcome for one command on rights.commands; a request completes when every expected holder replied.
 *
 * @param requestId      the rights request (propagation ledger entry) replies refer to
 * @param holderId       the holder replying
 * @param subjectId      the data subject, or null for an offboarding or breach measures
 * @param command        the name of the command answered, e.g. {@code ErasureRequested}
 * @param outcome        ERASED, ANONYMIZED, NOT_HELD, RETAINED, CORRECTED, EXPORTED, APPLIED or FAILED
 * @param counts         records acted on per data category, or null
 * @param retained       what is kept and why (policy 5.4); required when {@code outcome} is RETAINED, else null
 * @param exportLocation when EXPORTED, the https URI where the holder's part is fetched with an authorised call (never
 *                       the data itself), else null
 * @param failureCode    when FAILED, a code saying why, e.g. {@code STORE_UNAVAILABLE}, else null
 * @param repliedAt      when the holder acted
 */
public record HolderReplied(UUID requestId, String holderId, UUID subjectId, String command, String outcome,
                            Map<String, Integer> counts, List<RetainedItem> retained, String exportLocation,
                            String failureCode, Instant repliedAt) implements PrivacyEvent {

    public HolderReplied {
        // sorted by key, so the same event always serialises to the same JSON
        counts = counts == null ? null : Collections.unmodifiableMap(new TreeMap<>(counts));
        retained = retained == null ? null : List.copyOf(retained);
    }

    /** Replies are keyed by request id, so all replies to one request are ordered. */
    @Override
    public String key() {
        return requestId.toString();
    }

    @Override
    public String subject() {
        return subjectId == null ? null : subjectId.toString();
    }

    /**
     * One category a holder keeps after an erasure, with the law that requires it and until when.
     *
     * @param category   the data category kept
     * @param legalBasis the legal obligation, as a code, e.g. {@code ACCOUNTING_LAW}
     * @param until      the last day it is kept; a follow-up erasure is due the day after
     */
    public record RetainedItem(String category, String legalBasis, LocalDate until) {
    }
}
