package io.pledge.consent;

import static io.pledge.consent.support.Consent.PROBLEM;
import static io.pledge.consent.support.Consent.check;
import static io.pledge.consent.support.Consent.decide;
import static io.pledge.consent.support.Consent.decision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.pledge.consent.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sharing (4.2) and transfers abroad (5.4) against the real database: consent per recipient and purpose,
 * sensitive data only with its own explicit consent, and an offshore transfer only with a consent that
 * names recipient, contact, method, purposes, categories and how to exercise rights there.
 */
@QuarkusTest
class SharingTest {

    @Inject
    AgroalDataSource db;

    @Test
    @Tag("clause-4.2")
    void aShareToARecipientWithoutMatchingConsentIsRefusedWithAReason() {
        UUID subject = UUID.randomUUID();
        assertThat(check(subject, "sharing-partners", "sms-vendor", null).getString("reason")).isEqualTo("NEVER_GRANTED");
        decide(subject, decision("sharing-partners", "GIVEN", "recipientId", "sms-vendor")).statusCode(201)
                .body("record.recipientId", equalTo("sms-vendor"));
        assertThat(check(subject, "sharing-partners", "sms-vendor", null).getBoolean("permitted")).isTrue();
        // another recipient, or no recipient named, is not covered
        assertThat(check(subject, "sharing-partners", "ad-network", null).getString("reason"))
                .isEqualTo("RECIPIENT_NOT_COVERED");
        assertThat(check(subject, "sharing-partners").getString("reason")).isEqualTo("RECIPIENT_NOT_COVERED");
        // consent to share with a partner does not cover an affiliate, nor sensitive data
        assertThat(check(subject, "sharing-affiliates", "sms-vendor", null).getBoolean("permitted")).isFalse();
        assertThat(check(subject, "sharing-sensitive", "sms-vendor", null).getBoolean("permitted")).isFalse();
        // per-recipient purposes must name the recipient
        decide(subject, decision("sharing-partners", "GIVEN")).statusCode(400).contentType(PROBLEM)
                .body("field", equalTo("recipientId"));
        // sensitive data needs its own explicit consent
        decide(subject, decision("sharing-sensitive", "GIVEN", "recipientId", "sms-vendor")).statusCode(422)
                .contentType(PROBLEM).body("field", equalTo("explicitConfirmation"));
        assertThat(check(subject, "sharing-sensitive", "sms-vendor", null).getBoolean("permitted")).isFalse();
        decide(subject, decision("sharing-sensitive", "GIVEN", "recipientId", "sms-vendor", "explicitConfirmation", true))
                .statusCode(201).body("record.explicitConfirmation", equalTo(true));
        assertThat(check(subject, "sharing-sensitive", "sms-vendor", null).getBoolean("permitted")).isTrue();
        // withdrawing one recipient leaves the others
        decide(subject, decision("sharing-partners", "GIVEN", "recipientId", "ad-network")).statusCode(201);
        decide(subject, decision("sharing-partners", "WITHDRAWN", "recipientId", "sms-vendor")).statusCode(201);
        assertThat(check(subject, "sharing-partners", "sms-vendor", null).getString("reason")).isEqualTo("WITHDRAWN");
        assertThat(check(subject, "sharing-partners", "ad-network", null).getBoolean("permitted")).isTrue();
    }

    @Test
    @Tag("clause-5.4")
    void aTransferToAnOffshoreRecipientIsBlockedUntilAConsentNamesItsTerms() {
        UUID subject = UUID.randomUUID();
        decide(subject, decision("sharing-partners", "GIVEN", "recipientId", "sg-analytics")).statusCode(201);
        // at home the share is permitted; to Singapore it is not, without a transfer consent
        assertThat(check(subject, "sharing-partners", "sg-analytics", "CN").getBoolean("permitted")).isTrue();
        assertThat(check(subject, "sharing-partners", "sg-analytics", "SG").getString("reason")).isEqualTo("REGION_NOT_COVERED");
        assertThat(check(subject, "core-service", "sg-analytics", "SG").getString("reason")).isEqualTo("REGION_NOT_COVERED");

        // a transfer consent without its terms is refused and changes nothing
        long before = Db.count(db, "select count(*) from consent_record where subject_id = ?", subject);
        decide(subject, decision("cross-border-transfer", "GIVEN", "recipientId", "sg-analytics", "region", "SG",
                "explicitConfirmation", true)).statusCode(400).contentType(PROBLEM).body("field", equalTo("transfer"));
        Map<String, Object> terms = new LinkedHashMap<>();
        terms.put("recipientName", "SG Analytics Pte. Ltd.");
        terms.put("recipientContact", "privacy@sg-analytics.example");
        decide(subject, decision("cross-border-transfer", "GIVEN", "recipientId", "sg-analytics", "region", "SG",
                "explicitConfirmation", true, "transfer", terms)).statusCode(400).contentType(PROBLEM);
        assertThat(Db.count(db, "select count(*) from consent_record where subject_id = ?", subject)).isEqualTo(before);

        terms.put("processingMethod", "aggregate usage analytics in a Singapore data centre");
        terms.put("purposes", List.of("sharing-partners"));
        terms.put("dataCategories", List.of("usage"));
        terms.put("rightsProcedure", "write to privacy@sg-analytics.example; answered within 15 business days");
        decide(subject, decision("cross-border-transfer", "GIVEN", "recipientId", "sg-analytics", "region", "SG",
                "explicitConfirmation", true, "transfer", terms)).statusCode(201).body("record.region", equalTo("SG"));
        assertThat(check(subject, "sharing-partners", "sg-analytics", "SG").getBoolean("permitted")).isTrue();
        assertThat(Db.string(db, "select transfer_terms->>'rightsProcedure' from consent_record where subject_id = ? "
                + "and purpose_id = 'cross-border-transfer'", subject)).contains("15 business days");
        // the transfer consent covers only the purposes, recipient and region it names
        assertThat(check(subject, "sharing-partners", "sg-analytics", "US").getString("reason")).isEqualTo("REGION_NOT_COVERED");
        assertThat(check(subject, "core-service", "sg-analytics", "SG").getString("reason")).isEqualTo("REGION_NOT_COVERED");
        decide(subject, decision("cross-border-transfer", "WITHDRAWN", "recipientId", "sg-analytics", "region", "SG"))
                .statusCode(201);
        assertThat(check(subject, "sharing-partners", "sg-analytics", "SG").getString("reason")).isEqualTo("REGION_NOT_COVERED");
    }
}
