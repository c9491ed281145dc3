package io.pledge.account.payment;

import io.pledge.kit.crypto.OwnedBySubject;
import io.pledge.kit.crypto.PersonalDataGuard;
import io.pledge.kit.crypto.PersonalString;
import io.pledge.kit.crypto.PersonalStringConverter;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** How a subject pays and where invoices go (policy 2.1.1(3)); every value sealed per subject. */
@Entity
@Table(name = "payment_profile")
@EntityListeners(PersonalDataGuard.class)
public class PaymentProfile extends PanacheEntityBase implements OwnedBySubject {

    @Id
    @Column(name = "subject_id")
    public UUID subjectId;

    /** ALIPAY, WECHAT_PAY or ONLINE_BANKING. */
    public String method;

    @Convert(converter = PersonalStringConverter.class)
    @Column(name = "provider_token")
    public PersonalString providerToken;

    @Convert(converter = PersonalStringConverter.class)
    @Column(name = "account_holder")
    public PersonalString accountHolder;

    @Convert(converter = PersonalStringConverter.class)
    @Column(name = "invoice_title")
    public PersonalString invoiceTitle;

    @Convert(converter = PersonalStringConverter.class)
    @Column(name = "tax_id")
    public PersonalString taxId;

    @Convert(converter = PersonalStringConverter.class)
    @Column(name = "billing_address")
    public PersonalString billingAddress;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Override
    public UUID ownerSubjectId() {
        return subjectId;
    }
}
