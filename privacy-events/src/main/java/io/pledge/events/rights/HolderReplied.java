package io.pledge.events.rights;

import io.pledge.events.Jcs;
import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
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
 * @param keyId          the id of the holder's registered signing key that signed this reply ({@link ReplySignatures})
 * @param signature      base64url (no padding) signature of {@link #signingInput()} by that key: Ed25519, or ECDSA
 *                       P-256 with SHA-256 as the 64-byte r||s of JWS ES256; a reply without a valid one is refused
 */
public record HolderReplied(UUID requestId, String holderId, UUID subjectId, String command, String outcome,
                            Map<String, Integer> counts, List<RetainedItem> retained, String exportLocation,
                            String failureCode, Instant repliedAt, String keyId, String signature) implements PrivacyEvent {

    public HolderReplied {
        // sorted by key, so the same event always serialises to the same JSON
        counts = counts == null ? null : Collections.unmodifiableMap(new TreeMap<>(counts));
        retained = retained == null ? null : List.copyOf(retained);
    }

    /** An unsigned reply, to be signed with {@link ReplySignatures#sign} before it is sent. */
    public HolderReplied(UUID requestId, String holderId, UUID subjectId, String command, String outcome,
                         Map<String, Integer> counts, List<RetainedItem> retained, String exportLocation,
                         String failureCode, Instant repliedAt) {
        this(requestId, holderId, subjectId, command, outcome, counts, retained, exportLocation, failureCode, repliedAt,
                null, null);
    }

    /** This statement with the given key id and signature. */
    public HolderReplied signedWith(String keyId, String signature) {
        return new HolderReplied(requestId, holderId, subjectId, command, outcome, counts, retained, exportLocation,
                failureCode, repliedAt, keyId, signature);
    }

    /**
     * The bytes a holder signs: the RFC 8785 (JCS) form of the JSON object of {@code requestId, holderId, subjectId,
     * command, outcome, counts, retained, exportLocation, failureCode, repliedAt} exactly as they are sent (absent
     * fields left out; {@code repliedAt} in ISO-8601 UTC as {@link DateTimeFormatter#ISO_INSTANT} writes it, i.e. 0, 3,
     * 6 or 9 fraction digits; {@code until} as {@code yyyy-MM-dd}). {@code keyId} and {@code signature} are not signed.
     */
    public byte[] signingInput() {
        return Jcs.bytes(statement());
    }

    /** The signed statement as a JSON-ready map (see {@link #signingInput()}), absent fields left out. */
    public Map<String, Object> statement() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requestId", requestId == null ? null : requestId.toString());
        m.put("holderId", holderId);
        m.put("subjectId", subjectId == null ? null : subjectId.toString());
        m.put("command", command);
        m.put("outcome", outcome);
        m.put("counts", counts);
        m.put("retained", retained == null ? null : retained.stream().map(i -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("category", i.category());
            item.put("legalBasis", i.legalBasis());
            item.put("until", i.until() == null ? null : i.until().toString());
            return item;
        }).toList());
        m.put("exportLocation", exportLocation);
        m.put("failureCode", failureCode);
        m.put("repliedAt", repliedAt == null ? null : DateTimeFormatter.ISO_INSTANT.format(repliedAt));
        m.values().removeIf(java.util.Objects::isNull);
        return m;
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
