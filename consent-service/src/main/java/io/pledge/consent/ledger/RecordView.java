package io.pledge.consent.ledger;

import java.time.Instant;
import java.util.UUID;

/**
 * One ledger record as the API shows it (never the evidence).
 *
 * @param recordId             the record
 * @param subjectId            the data subject
 * @param purposeId            the purpose
 * @param recipientId          the recipient it names, or null for any
 * @param region               the region of a cross-border transfer, or null
 * @param status               GIVEN, REFUSED, WITHDRAWN, EXPIRED or REQUESTED
 * @param policyVersion        the policy version in force
 * @param channel              WEB, APP, API, EMAIL_LINK, DNT, GPC, GUARDIAN or SYSTEM
 * @param actor                SUBJECT, GUARDIAN or CONTROLLER
 * @param actorId              who acted, or null for the controller
 * @param recordedAt           when
 * @param expiresAt            when a grant lapses, or null
 * @param explicitConfirmation confirmed explicitly (sensitive purpose, or against a DNT/GPC signal)
 * @param signal               DNT or GPC when the request carried it
 * @param receiptId            its signed receipt
 * @param requestId            the consent request it answers (policies 2.3, 9.2), or null
 */
public record RecordView(UUID recordId, UUID subjectId, String purposeId, String recipientId, String region, String status,
                         String policyVersion, String channel, String actor, UUID actorId, Instant recordedAt,
                         Instant expiresAt, boolean explicitConfirmation, String signal, UUID receiptId,
                         UUID requestId) {

    static RecordView of(ConsentRecord r, UUID receiptId) {
        return new RecordView(r.id, r.subjectId, r.purposeId, r.recipientId, r.region, r.status, r.policyVersion, r.channel,
                r.actor, r.actorId, r.recordedAt, r.expiresAt, r.explicitConfirmation, r.signal, receiptId, r.requestId);
    }
}
