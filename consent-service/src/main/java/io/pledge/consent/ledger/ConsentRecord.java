package io.pledge.consent.ledger;

import io.pledge.kit.crypto.OwnedBySubject;
import io.pledge.kit.crypto.PersonalDataGuard;
import io.pledge.kit.crypto.PersonalString;
import io.pledge.kit.crypto.PersonalStringConverter;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One entry of the append-only consent ledger (policy 6.4). Never updated: the database refuses it, except
 * erasure's clearing of the evidence. Statuses as in the W3C Data Privacy Vocabulary.
 */
@Entity
@Immutable
@Table(name = "consent_record")
@EntityListeners(PersonalDataGuard.class)
public class ConsentRecord extends PanacheEntityBase implements OwnedBySubject {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    public UUID id;

    @Column(name = "subject_id")
    public UUID subjectId;

    @Column(name = "purpose_id")
    public String purposeId;

    @Column(name = "recipient_id")
    public String recipientId;

    public String region;

    /** GIVEN, REFUSED, WITHDRAWN, EXPIRED or REQUESTED. */
    public String status;

    @Column(name = "policy_version")
    public String policyVersion;

    /** WEB, APP, API, EMAIL_LINK, DNT, GPC, GUARDIAN or SYSTEM. */
    public String channel;

    /** SUBJECT, GUARDIAN or CONTROLLER. */
    public String actor;

    @Column(name = "actor_id")
    public UUID actorId;

    @Column(name = "recorded_at")
    public Instant recordedAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "explicit_confirmation")
    public boolean explicitConfirmation;

    /** DNT or GPC when the request carried that signal. */
    public String signal;

    /** Policy 5.4 terms of a cross-border transfer, as JSON. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "transfer_terms")
    public String transferTerms;

    /** Evidence: the client's network (address truncated), never the full address. */
    @Column(name = "client_network")
    public String clientNetwork;

    /** Evidence: the user agent, sealed under the subject's key. */
    @Convert(converter = PersonalStringConverter.class)
    @Column(name = "user_agent")
    public PersonalString userAgent;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    /** NEW_PURPOSE or POLICY_CHANGE for REQUESTED; EXPIRY for EXPIRED. */
    public String reason;

    /** The consent request this record answers (policies 2.3, 9.2), or null. */
    @Column(name = "request_id")
    public UUID requestId;

    @Override
    public UUID ownerSubjectId() {
        return subjectId;
    }
}
