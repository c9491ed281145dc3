package io.pledge.consent;

import static io.pledge.consent.support.Consent.PROBLEM;
import static io.pledge.consent.support.Consent.check;
import static io.pledge.consent.support.Consent.decide;
import static io.pledge.consent.support.Consent.decision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.pledge.consent.check.ConsentView;
import io.pledge.consent.support.Db;
import io.pledge.consent.support.Topics;
import io.pledge.events.EventTypes;
import io.pledge.events.account.AccountCancelled;
import io.pledge.events.account.AccountRegistered;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Policy 5.4, after cancellation no commercial use of any kind, against the real database and broker: AccountCancelled
 * read from the real account.events topic withdraws every consent in force beyond the necessary (profiling,
 * third-party matching, advertising cookies, partner and affiliate sharing per recipient, a transfer abroad, marketing),
 * the check refuses each of them with ACCOUNT_CANCELLED, a new grant of any of them is refused and records nothing, and
 * what the service needs (security) is still answered. Faked: only the token signer.
 */
@QuarkusTest
class NoCommercialUseTest {

    @Inject
    AgroalDataSource db;
    @Inject
    ConsentView view;

    @Test
    @Tag("clause-5.4")
    void afterCancellationNoProfilingMatchingAdvertisingSharingOrTransferIsPermittedOrGranted() throws Exception {
        UUID subject = UUID.randomUUID();
        Topics.send(EventTypes.of(AccountRegistered.class), new AccountRegistered(subject, "INDIVIDUAL", false, Instant.now()));
        Map<String, Object> terms = new LinkedHashMap<>();
        terms.put("recipientName", "SG Analytics Pte. Ltd.");
        terms.put("recipientContact", "privacy@sg-analytics.example");
        terms.put("processingMethod", "aggregate usage analytics in a Singapore data centre");
        terms.put("purposes", List.of("sharing-partners"));
        terms.put("dataCategories", List.of("usage"));
        terms.put("rightsProcedure", "write to privacy@sg-analytics.example");
        for (Map<String, Object> d : List.of(decision("profiling", "GIVEN"), decision("third-party-matching", "GIVEN"),
                decision("cookies-advertising", "GIVEN"), decision("cookies-analytics", "GIVEN"),
                decision("marketing-email", "GIVEN"),
                decision("sharing-partners", "GIVEN", "recipientId", "sg-analytics"),
                decision("sharing-affiliates", "GIVEN", "recipientId", "qiniu-affiliate"),
                decision("cross-border-transfer", "GIVEN", "recipientId", "sg-analytics", "region", "SG",
                        "explicitConfirmation", true, "transfer", terms))) {
            decide(subject, d).statusCode(201);
        }
        assertThat(check(subject, "profiling").getBoolean("permitted")).isTrue();
        assertThat(check(subject, "sharing-partners", "sg-analytics", "SG").getBoolean("permitted")).isTrue();

        Topics.send(EventTypes.of(AccountCancelled.class), new AccountCancelled(subject, Instant.now(), UUID.randomUUID()));
        await().atMost(Duration.ofSeconds(60)).until(() -> view.isCancelled(subject));
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(db, "select count(*) from consent_record where subject_id = ? "
                + "and status = 'WITHDRAWN' and reason = 'ACCOUNT_CANCELLED'", subject) == 8);
        assertThat(Db.count(db, "select count(*) from consent_state where subject_id = ? and status = 'GIVEN'", subject)).isZero();

        for (String purpose : List.of("profiling", "third-party-matching", "cookies-advertising", "cookies-analytics",
                "email-tracking", "marketing-email", "product-statistics")) {
            assertThat(check(subject, purpose).getString("reason")).as(purpose).isEqualTo("ACCOUNT_CANCELLED");
        }
        assertThat(check(subject, "sharing-partners", "sg-analytics", null).getString("reason")).isEqualTo("ACCOUNT_CANCELLED");
        assertThat(check(subject, "sharing-partners", "sg-analytics", "SG").getString("reason")).isEqualTo("ACCOUNT_CANCELLED");
        assertThat(check(subject, "sharing-affiliates", "qiniu-affiliate", null).getString("reason")).isEqualTo("ACCOUNT_CANCELLED");
        assertThat(check(subject, "cross-border-transfer", "sg-analytics", "SG").getString("reason")).isEqualTo("ACCOUNT_CANCELLED");
        assertThat(check(subject, "security").getBoolean("permitted")).isTrue();
        assertThat(check(subject, "core-service").getBoolean("permitted")).isTrue();

        long before = Db.count(db, "select count(*) from consent_record where subject_id = ?", subject);
        decide(subject, decision("profiling", "GIVEN")).statusCode(409).contentType(PROBLEM);
        decide(subject, decision("third-party-matching", "GIVEN")).statusCode(409).contentType(PROBLEM);
        decide(subject, decision("sharing-partners", "GIVEN", "recipientId", "sg-analytics")).statusCode(409).contentType(PROBLEM);
        decide(subject, decision("cookies-advertising", "GIVEN")).statusCode(409).contentType(PROBLEM);
        assertThat(Db.count(db, "select count(*) from consent_record where subject_id = ?", subject)).isEqualTo(before);
        // the subject may still say no
        decide(subject, decision("email-tracking", "REFUSED")).statusCode(201);
    }
}
