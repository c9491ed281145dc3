package io.pledge.notification.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.events.consent.ConsentRequested;
import io.pledge.kit.testing.Db;
import io.pledge.notification.smtp.EmbeddedSmtp;
import io.pledge.notification.support.Mails;
import io.pledge.notification.support.Stub;
import io.pledge.notification.support.StubServices;
import io.pledge.notification.support.Topics;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Consent requests (policies 2.3, 9.2): ConsentRequested sent to the real consent.events topic as consent-service
 * publishes it becomes one notice per subject and request, delivered through the real SMTP server in the subject's
 * language (the contact lookup's locale, from the stand-in for account-service), with the link to the request in
 * consent-service where the subject answers it. Real: PostgreSQL, Kafka, the SMTP server; stood in: account-service's
 * contact lookup (StubServices).
 */
@QuarkusTest
class ConsentRequestNoticeTest {

    @Inject
    AgroalDataSource db;
    @Inject
    EmbeddedSmtp smtp;

    @Test
    @Tag("clause-2.3")
    void aNewPurposeRequestIsSentOnceInTheSubjectsLanguageWithTheLinkToAnswerIt() throws Exception {
        UUID english = UUID.randomUUID();
        UUID chinese = UUID.randomUUID();
        Stub.locale(english, "en");
        Stub.locale(chinese, "zh-CN");
        String purpose = "voice-analysis-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID enRequest = UUID.randomUUID();
        UUID zhRequest = UUID.randomUUID();
        ConsentRequested en = new ConsentRequested(english, purpose, "NEW_PURPOSE", null, now, enRequest);
        String id = Topics.send(EventTypes.CONSENT_REQUESTED, en);
        Topics.send(EventTypes.CONSENT_REQUESTED, en, id);   // redelivered
        Topics.send(EventTypes.CONSENT_REQUESTED, en);       // the same request published twice
        Topics.send(EventTypes.CONSENT_REQUESTED, new ConsentRequested(chinese, purpose, "NEW_PURPOSE", null, now, zhRequest));

        await().atMost(Duration.ofSeconds(60)).until(() -> Db.count(db, "select count(*) from delivery where notice_id in (?, ?) "
                + "and status = 'SENT'", enRequest, zhRequest) == 2);
        List<MimeMessage> got = Mails.ofNotice(smtp, enRequest);
        assertThat(got).hasSize(1);
        assertThat(Mails.recipient(got.get(0))).isEqualTo(StubServices.email(english));
        assertThat(Mails.subject(got.get(0))).isEqualTo("We ask for your consent to a new purpose");
        assertThat(Mails.text(got.get(0))).contains(purpose)
                .contains("https://pledge.local/api/consents/v1/consent-requests/" + enRequest);
        List<MimeMessage> zh = Mails.ofNotice(smtp, zhRequest);
        assertThat(zh).hasSize(1);
        assertThat(Mails.subject(zh.get(0))).isEqualTo("我们就一项新用途征求您的同意");
        assertThat(Mails.text(zh.get(0))).contains("/v1/consent-requests/" + zhRequest);
        assertThat(Db.count(db, "select count(*) from delivery where notice_id = ? and kind = 'CONSENT_REQUEST'", enRequest))
                .isEqualTo(1);
        assertThat(Db.string(db, "select locale from delivery where notice_id = ?", enRequest)).isEqualTo("en");
    }

    @Test
    @Tag("clause-9.2")
    void aReConsentRequestNamesThePolicyVersionItIsAskedUnder() throws Exception {
        UUID subject = UUID.randomUUID();
        Stub.locale(subject, "en");
        UUID request = UUID.randomUUID();
        String version = "2027-" + UUID.randomUUID().toString().substring(0, 8);
        Topics.send(EventTypes.CONSENT_REQUESTED, new ConsentRequested(subject, "profiling", "POLICY_CHANGE", version,
                Instant.now().truncatedTo(ChronoUnit.MICROS), request));
        await().atMost(Duration.ofSeconds(60)).until(() -> Mails.ofNotice(smtp, request).size() == 1);
        MimeMessage m = Mails.ofNotice(smtp, request).get(0);
        assertThat(Mails.subject(m)).isEqualTo("Our privacy policy " + version + " asks for your consent again");
        assertThat(Mails.text(m)).contains("\"profiling\"").contains("/v1/consent-requests/" + request);
    }
}
