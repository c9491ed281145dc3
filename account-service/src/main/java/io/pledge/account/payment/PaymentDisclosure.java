package io.pledge.account.payment;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One request to give a subject's payment data to a recipient, disclosed or refused; field names only. */
@Entity
@Table(name = "payment_disclosure")
public class PaymentDisclosure extends PanacheEntityBase {

    public static final String DISCLOSED = "DISCLOSED";
    public static final String REFUSED = "REFUSED";

    @Id
    public UUID id;

    @Column(name = "subject_id")
    public UUID subjectId;

    @Column(name = "requester_id")
    public String requesterId;

    @Column(name = "recipient_id")
    public String recipientId;

    @Column(name = "purpose_id")
    public String purposeId;

    /** Comma-separated field names. */
    public String fields;

    public String outcome;

    public String reason;

    public Instant at;
}
