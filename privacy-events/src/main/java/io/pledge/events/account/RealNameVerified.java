package io.pledge.events.account;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * A subject passed real-name authentication (policy 2.1.1(2)); the method only, never identity data or a face image.
 *
 * @param subjectId  the data subject
 * @param method     FACE, ALIPAY, BANK_TRANSFER, ENTERPRISE_ALIPAY or ENTERPRISE_BANK_TRANSFER
 * @param verifiedAt when the verification succeeded
 */
public record RealNameVerified(UUID subjectId, String method, Instant verifiedAt) implements PrivacyEvent {

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
