package io.pledge.events.account;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Someone read a subject's personal data (policy 5.2.3): who, which fields and why, never the values. The one access
 * record of Pledge: every service that serves a read publishes it (service-kit's {@code AccessRecorder}) on the shared
 * topic {@code access.records}, which only audit-service reads.
 *
 * @param subjectId    whose data was read
 * @param accessorId   who read it: a subject id, an operator's id or a holder's client id (never an email address)
 * @param accessorRole the role the accessor acted in: SUBJECT, GUARDIAN, PRIVACY_OFFICER, SUPPORT_AGENT,
 *                     SECURITY_OFFICER, HOLDER (a registered holder) or SERVICE (a Pledge service on its own behalf)
 * @param fields       names of the fields read, e.g. {@code email}
 * @param purposeId    the purpose the read served, from the purpose catalogue
 * @param accessedAt   when the data was read
 */
public record PersonalDataAccessed(UUID subjectId, String accessorId, String accessorRole, List<String> fields,
                                   String purposeId, Instant accessedAt) implements PrivacyEvent {

    public PersonalDataAccessed {
        fields = List.copyOf(fields);
    }

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
