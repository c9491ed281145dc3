package io.pledge.notification.marketing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.events.consent.ConsentWithdrawn;
import io.pledge.events.notification.NoticeRequested;
import io.pledge.events.rights.ProcessingStopRequested;
import io.pledge.kit.events.EventSchemas;
import io.pledge.notification.smtp.EmbeddedSmtp;
import io.pledge.kit.testing.Db;
import io.pledge.notification.support.Mails;
import io.pledge.notification.support.Stub;
import io.pledge.notification.support.StubServices;
import io.pledge.notification.support.Topics;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Consent-gated marketing (policies 2.2.3, 3.2) against the real topics, database and SMTP server; consent-service
 * and account-service are {@link StubServices} implementing their documented check, unsubscribe-token, one-click
 * unsubscribe and contact endpoints. Consent is asked at send time, so a withdrawal stops the next message.
 */
@QuarkusTest
class MarketingTest {

    @Inject
    AgroalDataSource db;
    @Inject
    EventSchemas schemas;
    @Inject
    EmbeddedSmtp smtp;

    static NoticeRequested offer(UUID subject, String... channels) {
        return new NoticeRequested(UUID.randomUUID(), subject, "MARKETING", "marketing-offer", List.of(channels), "en",
                Map.of("offerId", "winter-26", "offerUrl", "https://pledge.local/offers/winter-26"), Instant.now());
    }

    private Topics.Published outcome(KafkaConsumer<String, byte[]> topic, UUID noticeId) {
        return Topics.read(topic, schemas, Topics.has(EventTypes.NOTICE_DELIVERED, noticeId.toString(), 1)
                        .or(Topics.has(EventTypes.NOTICE_FAILED, noticeId.toString(), 1)), Duration.ofSeconds(30))
                .stream().filter(p -> p.body().contains(noticeId.toString())).findFirst().orElseThrow();
    }

    @Test
    @Tag("clause-2.2.3")
    void everyMarketingMessageCarriesAOneClickUnsubscribeLinkThatWorksWithoutLoggingIn() throws Exception {
        UUID subject = UUID.randomUUID();
        Stub.consent(subject, "marketing-email", true);
        NoticeRequested first = offer(subject, "EMAIL");
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("notification.events")) {
            Topics.send(EventTypes.NOTICE_REQUESTED, first);
            assertThat(outcome(topic, first.noticeId()).is(EventTypes.NOTICE_DELIVERED)).isTrue();
        }
        MimeMessage m = Mails.ofNotice(smtp, first.noticeId()).get(0);
        String text = Mails.text(m);
        Matcher link = Pattern.compile("(http\\S+/v1/unsubscribe\\?token=\\w+)").matcher(text);
        assertThat(link.find()).as("unsubscribe link in the body").isTrue();
        assertThat(Mails.header(m, "List-Unsubscribe")).isEqualTo("<" + link.group(1) + ">");
        assertThat(Mails.header(m, "List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(text).contains("https://pledge.local/offers/winter-26");

        // the subject follows the link, with no token, and gets no marketing afterwards
        assertThat(Stub.follow(link.group(1))).isEqualTo(200);
        NoticeRequested second = offer(subject, "EMAIL");
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("notification.events")) {
            Topics.send(EventTypes.NOTICE_REQUESTED, second);
            Topics.Published p = outcome(topic, second.noticeId());
            assertThat(p.is(EventTypes.NOTICE_FAILED)).isTrue();
            assertThat(p.json().getString("reasonCode")).isEqualTo("NOT_PERMITTED");
        }
        assertThat(Mails.ofNotice(smtp, second.noticeId())).isEmpty();
    }

    @Test
    @Tag("clause-2.2.3")
    void aSubjectWhoWithdrewOrNeverConsentedReceivesNoMarketingOnAnyChannel() throws Exception {
        UUID withdrawn = UUID.randomUUID();
        Stub.consent(withdrawn, "marketing-email", false);
        Stub.consent(withdrawn, "marketing-phone", false);
        NoticeRequested n = offer(withdrawn, "EMAIL", "SMS", "PUSH");
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("notification.events")) {
            Topics.send(EventTypes.NOTICE_REQUESTED, n);
            List<Topics.Published> got = Topics.read(topic, schemas, Topics.has(EventTypes.NOTICE_FAILED, n.noticeId().toString(), 3),
                    Duration.ofSeconds(30)).stream().filter(p -> p.body().contains(n.noticeId().toString())).toList();
            assertThat(got).hasSize(3).allMatch(p -> p.is(EventTypes.NOTICE_FAILED));
            assertThat(got).extracting(p -> p.json().getString("reasonCode"))
                    .containsExactlyInAnyOrder("NOT_PERMITTED", "NOT_PERMITTED", "CHANNEL_NOT_ALLOWED");
        }
        assertThat(Mails.to(smtp, StubServices.email(withdrawn))).isEmpty();
        assertThat(Stub.webhook()).noneMatch(w -> withdrawn.toString().equals(w.getString("subjectId")));
    }

    @Test
    @Tag("clause-2.2.3")
    void withConsentServiceUnreachableNothingIsSentUntilItAnswers() throws Exception {
        UUID subject = UUID.randomUUID();
        Stub.consent(subject, "marketing-email", true);
        NoticeRequested n = offer(subject, "EMAIL");
        Stub.consentDown(true);
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("notification.events")) {
            Topics.send(EventTypes.NOTICE_REQUESTED, n);
            await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(db, "select count(*) from delivery where notice_id = ? "
                    + "and status = 'PENDING' and reason_code = 'CONSENT_UNAVAILABLE'", n.noticeId()) == 1);
            assertThat(Mails.ofNotice(smtp, n.noticeId())).isEmpty();
            Stub.consentDown(false);
            assertThat(outcome(topic, n.noticeId()).is(EventTypes.NOTICE_DELIVERED)).isTrue();
        } finally {
            Stub.consentDown(false);
        }
        assertThat(Mails.ofNotice(smtp, n.noticeId())).hasSize(1);
    }

    @Test
    @Tag("clause-2.2.3")
    void aWithdrawalEventOrAProcessingStopCancelsMarketingNotYetSent() throws Exception {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        Stub.consent(a, "marketing-email", true);
        Stub.consent(b, "marketing-email", true);
        NoticeRequested na = offer(a, "EMAIL");
        NoticeRequested nb = offer(b, "EMAIL");
        Stub.consentDown(true); // holds both back as pending
        try {
            Topics.send(EventTypes.NOTICE_REQUESTED, na);
            Topics.send(EventTypes.NOTICE_REQUESTED, nb);
            await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(db, "select count(*) from delivery where notice_id in (?, ?) "
                    + "and status = 'PENDING' and attempts >= 1", na.noticeId(), nb.noticeId()) == 2);
            Topics.send(EventTypes.CONSENT_WITHDRAWN, new ConsentWithdrawn(a, "marketing-email", null, UUID.randomUUID(),
                    "EMAIL_LINK", "SUBJECT", "2026-11-01", Instant.now()));
            ProcessingStopRequested stop = new ProcessingStopRequested(UUID.randomUUID(), b, "marketing-email",
                    null, List.of("notification-service", "consent-service"), Instant.now());
            try (KafkaConsumer<String, byte[]> replies = Topics.tail("rights.replies")) {
                Topics.send(EventTypes.PROCESSING_STOP_REQUESTED, stop);
                // the holder's reply counts the deliveries it cancelled: b's one pending offer
                var reply = reply(replies, stop.requestId());
                assertThat(reply.getString("outcome")).isEqualTo("APPLIED");
                assertThat(reply.getJsonObject("counts").getMap()).containsOnly(Map.entry("delivery", 1));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(db, "select count(*) from delivery where notice_id in (?, ?) "
                    + "and status = 'CANCELLED' and reason_code = 'CONSENT_WITHDRAWN'", na.noticeId(), nb.noticeId()) == 2);
            assertThat(Db.count(db, "select count(*) from delivery where subject_id = ? and status = 'CANCELLED' "
                    + "and reason_code = 'CONSENT_WITHDRAWN'", b)).isEqualTo(1);
            // a second stop finds nothing left to cancel: NOT_HELD
            ProcessingStopRequested again = new ProcessingStopRequested(UUID.randomUUID(), b, "marketing-email",
                    null, List.of("notification-service"), Instant.now());
            try (KafkaConsumer<String, byte[]> replies = Topics.tail("rights.replies")) {
                Topics.send(EventTypes.PROCESSING_STOP_REQUESTED, again);
                var reply = reply(replies, again.requestId());
                assertThat(reply.getString("outcome")).isEqualTo("NOT_HELD");
                assertThat(reply.getValue("counts")).isNull();
            }
        } finally {
            Stub.consentDown(false);
        }
        Thread.sleep(2500);
        assertThat(Mails.ofNotice(smtp, na.noticeId())).isEmpty();
        assertThat(Mails.ofNotice(smtp, nb.noticeId())).isEmpty();
    }

    @Test
    @Tag("clause-3.2")
    void openPixelAndClickTrackingOnlyForSubjectsWhoConsentedToEmailTracking() throws Exception {
        UUID tracked = UUID.randomUUID();
        UUID untracked = UUID.randomUUID();
        for (UUID s : List.of(tracked, untracked)) {
            Stub.consent(s, "marketing-email", true);
        }
        Stub.consent(tracked, "email-tracking", true);
        NoticeRequested nt = offer(tracked, "EMAIL");
        NoticeRequested nu = offer(untracked, "EMAIL");
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("notification.events")) {
            Topics.send(EventTypes.NOTICE_REQUESTED, nt);
            Topics.send(EventTypes.NOTICE_REQUESTED, nu);
            Topics.read(topic, schemas, l -> l.stream().anyMatch(p -> p.body().contains(nt.noticeId().toString()))
                    && l.stream().anyMatch(p -> p.body().contains(nu.noticeId().toString())), Duration.ofSeconds(30));
        }
        MimeMessage withTracking = Mails.ofNotice(smtp, nt.noticeId()).get(0);
        String html = Mails.html(withTracking);
        String delivery = Mails.header(withTracking, "X-Pledge-Delivery");
        assertThat(html).contains("/v1/tracking/" + delivery + "/open");
        assertThat(Mails.text(withTracking)).contains("/v1/tracking/" + delivery + "/click")
                .doesNotContain("https://pledge.local/offers/winter-26");
        given().when().get("/v1/tracking/{id}/open", delivery).then().statusCode(200).contentType("image/gif");
        given().redirects().follow(false).when().get("/v1/tracking/{id}/click", delivery).then().statusCode(303)
                .header("Location", "https://pledge.local/offers/winter-26");
        assertThat(Db.count(db, "select count(*) from delivery where id = ? and opened_at is not null and clicked_at is not null",
                UUID.fromString(delivery))).isEqualTo(1);

        MimeMessage without = Mails.ofNotice(smtp, nu.noticeId()).get(0);
        assertThat(Mails.html(without)).isNull();
        assertThat(Mails.text(without)).doesNotContain("/v1/tracking/").contains("https://pledge.local/offers/winter-26");
        String other = Mails.header(without, "X-Pledge-Delivery");
        given().when().get("/v1/tracking/{id}/open", other).then().statusCode(200);
        given().redirects().follow(false).when().get("/v1/tracking/{id}/click", other).then().statusCode(303)
                .header("Location", "https://pledge.local/offers/winter-26");
        assertThat(Db.count(db, "select count(*) from delivery where id = ? and (opened_at is not null or clicked_at is not null)",
                UUID.fromString(other))).isZero();
    }

    /**
     * Policy 3.2 with 6.4: a withdrawal of {@code email-tracking} reaches this holder as a processing stop; it untracks the
     * subject's delivered mail, so the pixel and the click in a message already sent record nothing from then on, and
     * its reply counts the deliveries untracked.
     */
    @Test
    @Tag("clause-3.2")
    @Tag("clause-6.4")
    void aTrackingStopUntracksMailAlreadySentSoNoOpenOrClickIsRecordedAfterIt() throws Exception {
        UUID subject = UUID.randomUUID();
        Stub.consent(subject, "marketing-email", true);
        Stub.consent(subject, "email-tracking", true);
        NoticeRequested n = offer(subject, "EMAIL");
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("notification.events")) {
            Topics.send(EventTypes.NOTICE_REQUESTED, n);
            assertThat(outcome(topic, n.noticeId()).is(EventTypes.NOTICE_DELIVERED)).isTrue();
        }
        String delivery = Mails.header(Mails.ofNotice(smtp, n.noticeId()).get(0), "X-Pledge-Delivery");
        assertThat(Db.count(db, "select count(*) from delivery where id = ? and tracked", UUID.fromString(delivery)))
                .isEqualTo(1);

        Stub.consent(subject, "email-tracking", false);
        ProcessingStopRequested stop = new ProcessingStopRequested(UUID.randomUUID(), subject, "email-tracking", null,
                List.of("notification-service", "consent-service"), Instant.now());
        try (KafkaConsumer<String, byte[]> replies = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.PROCESSING_STOP_REQUESTED, stop);
            var reply = reply(replies, stop.requestId());
            assertThat(reply.getString("outcome")).isEqualTo("APPLIED");
            assertThat(reply.getJsonObject("counts").getMap()).containsOnly(Map.entry("tracked-delivery", 1));
        }
        // the state the count says: the subject has no tracked delivery left, and the old pixel and link record nothing
        assertThat(Db.count(db, "select count(*) from delivery where subject_id = ? and tracked", subject)).isZero();
        given().when().get("/v1/tracking/{id}/open", delivery).then().statusCode(200).contentType("image/gif");
        given().redirects().follow(false).when().get("/v1/tracking/{id}/click", delivery).then().statusCode(303)
                .header("Location", "https://pledge.local/offers/winter-26");
        assertThat(Db.count(db, "select count(*) from delivery where id = ? and (opened_at is not null or clicked_at is not null)",
                UUID.fromString(delivery))).isZero();

        // nothing tracked is left: a second stop is NOT_HELD
        ProcessingStopRequested again = new ProcessingStopRequested(UUID.randomUUID(), subject, "email-tracking", null,
                List.of("notification-service"), Instant.now());
        try (KafkaConsumer<String, byte[]> replies = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.PROCESSING_STOP_REQUESTED, again);
            assertThat(reply(replies, again.requestId()).getString("outcome")).isEqualTo("NOT_HELD");
        }
    }

    private io.vertx.core.json.JsonObject reply(KafkaConsumer<String, byte[]> topic, UUID requestId) {
        return Topics.read(topic, schemas, Topics.has(EventTypes.HOLDER_REPLIED, requestId.toString(), 1),
                Duration.ofSeconds(30)).stream().filter(p -> p.body().contains(requestId.toString())).findFirst()
                .orElseThrow().json();
    }

    @Test
    @Tag("clause-3.2")
    void anOpenOrClickArrivingAfterTrackingConsentWasWithdrawnRecordsNothing() throws Exception {
        UUID subject = UUID.randomUUID();
        Stub.consent(subject, "marketing-email", true);
        Stub.consent(subject, "email-tracking", true);
        NoticeRequested first = offer(subject, "EMAIL");
        NoticeRequested second = offer(subject, "EMAIL");
        Topics.send(EventTypes.NOTICE_REQUESTED, first);
        Topics.send(EventTypes.NOTICE_REQUESTED, second);
        await().atMost(Duration.ofSeconds(30)).until(() -> Mails.ofNotice(smtp, first.noticeId()).size() == 1
                && Mails.ofNotice(smtp, second.noticeId()).size() == 1);
        String opened = Mails.header(Mails.ofNotice(smtp, first.noticeId()).get(0), "X-Pledge-Delivery");
        String late = Mails.header(Mails.ofNotice(smtp, second.noticeId()).get(0), "X-Pledge-Delivery");
        assertThat(Mails.html(Mails.ofNotice(smtp, second.noticeId()).get(0))).contains("/v1/tracking/" + late + "/open");
        // while consent holds an open is recorded
        given().when().get("/v1/tracking/{id}/open", opened).then().statusCode(200).contentType("image/gif");
        assertThat(Db.count(db, "select count(*) from delivery where id = ? and opened_at is not null", UUID.fromString(opened)))
                .isEqualTo(1);

        // the subject withdraws tracking (consent-service now answers not permitted): later hits record nothing,
        // the pixel is still served and the click still reaches the offer
        Stub.consent(subject, "email-tracking", false);
        given().when().get("/v1/tracking/{id}/open", late).then().statusCode(200).contentType("image/gif");
        given().redirects().follow(false).when().get("/v1/tracking/{id}/click", late).then().statusCode(303)
                .header("Location", "https://pledge.local/offers/winter-26");
        given().redirects().follow(false).when().get("/v1/tracking/{id}/click", opened).then().statusCode(303);
        assertThat(Db.count(db, "select count(*) from delivery where id = ? and (opened_at is not null or clicked_at is not null)",
                UUID.fromString(late))).isZero();
        assertThat(Db.count(db, "select count(*) from delivery where id = ? and clicked_at is not null",
                UUID.fromString(opened))).isZero();

        // consent-service unreachable: fail closed, nothing recorded
        Stub.consent(subject, "email-tracking", true);
        Stub.consentDown(true);
        try {
            given().when().get("/v1/tracking/{id}/open", late).then().statusCode(200);
        } finally {
            Stub.consentDown(false);
        }
        assertThat(Db.count(db, "select count(*) from delivery where id = ? and opened_at is not null", UUID.fromString(late)))
                .isZero();
    }
}
