package io.pledge.notification.delivery;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.events.notification.NoticeRequested;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.testing.TestTokens;
import io.pledge.notification.smtp.EmbeddedSmtp;
import io.pledge.kit.testing.Db;
import io.pledge.notification.support.Mails;
import io.pledge.notification.support.Stub;
import io.pledge.notification.support.StubServices;
import io.pledge.notification.support.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * Durable deliveries: NoticeRequested sent to the real notification.commands topic, emails read from the real
 * SMTP server (GreenMail), NoticeDelivered / NoticeFailed read back from the real notification.events topic and
 * held against their schema, rows checked in the real database. account-service and consent-service are
 * {@link StubServices} implementing their documented endpoints; the SMS/push webhook receiver is a stub that
 * verifies signatures.
 */
@QuarkusTest
class DeliveryTest {

    @Inject
    AgroalDataSource db;
    @Inject
    EventSchemas schemas;
    @Inject
    EmbeddedSmtp smtp;

    static NoticeRequested notice(UUID subject, String kind, String template, List<String> channels, String locale,
                                  Map<String, String> params) {
        return new NoticeRequested(UUID.randomUUID(), subject, kind, template, channels, locale, params, Instant.now());
    }

    private List<Topics.Published> outcomes(KafkaConsumer<String, byte[]> topic, UUID noticeId, int n) {
        return Topics.read(topic, schemas, l -> l.stream().filter(p -> p.body().contains(noticeId.toString())).count() >= n,
                Duration.ofSeconds(30)).stream().filter(p -> p.body().contains(noticeId.toString())).toList();
    }

    @Test
    @org.junit.jupiter.api.Tag("clause-2.2.1")
    void aFriendInvitationGoesToTheInviteeOnlyWithTheAddressFetchedAtSendTime() throws Exception {
        UUID inviter = UUID.randomUUID();
        UUID invitation = UUID.randomUUID();
        String invitee = "invitee-" + invitation.toString().substring(0, 8) + "@example.org";
        Stub.secret(invitation, inviter, "EMAIL", invitee, null);
        NoticeRequested n = new NoticeRequested(invitation, inviter, "SERVICE", "friend-invitation", List.of("EMAIL"),
                "en", Map.of("invitationId", invitation.toString()), java.time.Instant.now());
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("notification.events")) {
            Topics.send(EventTypes.NOTICE_REQUESTED, n);
            Topics.Published outcome = outcomes(topic, invitation, 1).get(0);
            assertThat(outcome.is(EventTypes.NOTICE_DELIVERED)).isTrue();
            assertThat(outcome.body()).doesNotContain(invitee);
        }
        List<MimeMessage> got = Mails.to(smtp, invitee);
        assertThat(got).hasSize(1);
        assertThat(Mails.subject(got.get(0))).isEqualTo("You are invited to Pledge");
        assertThat(Mails.text(got.get(0))).contains("2.2.1").doesNotContain(inviter.toString());
        assertThat(Mails.to(smtp, StubServices.email(inviter))).as("nothing to the inviter").isEmpty();
        assertThat(Db.count(db, "select count(*) from delivery where notice_id = ?", invitation)).isEqualTo(1);
    }

    @Test
    @org.junit.jupiter.api.Tag("clause-6.0")
    void anExtendedOrRefusedRightsRequestIsExplainedToTheSubjectWithDateAndReason() throws Exception {
        UUID subject = UUID.randomUUID();
        NoticeRequested extended = notice(subject, "SERVICE", "rights-request-extended", List.of("EMAIL"), "en",
                Map.of("requestId", "r-77", "previousDueAt", "2026-12-01", "newDueAt", "2026-12-22",
                        "reasonCode", "COMPLEX_REQUEST"));
        NoticeRequested refused = notice(subject, "SERVICE", "rights-request-refused", List.of("EMAIL"), "zh-CN",
                Map.of("requestId", "r-78", "reasonCode", "REPETITIVE"));
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("notification.events")) {
            Topics.send(EventTypes.NOTICE_REQUESTED, extended);
            Topics.send(EventTypes.NOTICE_REQUESTED, refused);
            assertThat(outcomes(topic, extended.noticeId(), 1)).singleElement()
                    .satisfies(p -> assertThat(p.is(EventTypes.NOTICE_DELIVERED)).isTrue());
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> Mails.ofNotice(smtp, refused.noticeId()).size() == 1);
        MimeMessage late = Mails.ofNotice(smtp, extended.noticeId()).get(0);
        assertThat(Mails.subject(late)).isEqualTo("Your Pledge request will take longer");
        assertThat(Mails.text(late)).contains("r-77").contains("2026-12-01").contains("2026-12-22")
                .contains("COMPLEX_REQUEST");
        MimeMessage no = Mails.ofNotice(smtp, refused.noticeId()).get(0);
        assertThat(Mails.subject(no)).contains("未予受理");
        assertThat(Mails.text(no)).contains("r-78").contains("REPETITIVE");
    }

    @Test
    void theLanguageAccountServiceNamesOutranksTheOneTheNoticeWasRequestedIn() throws Exception {
        UUID subject = UUID.randomUUID();
        Stub.locale(subject, "en");
        NoticeRequested n = notice(subject, "SERVICE", "service-notice", List.of("EMAIL"), "zh-CN", Map.of("requestId", "r-44"));
        Topics.send(EventTypes.NOTICE_REQUESTED, n);
        await().atMost(Duration.ofSeconds(30)).until(() -> Mails.ofNotice(smtp, n.noticeId()).size() == 1);
        MimeMessage m = Mails.ofNotice(smtp, n.noticeId()).get(0);
        assertThat(Mails.subject(m)).isEqualTo("A message about your Pledge account");
        // the locale used is what the delivery keeps (an export re-renders it so)
        await().atMost(Duration.ofSeconds(10)).until(() -> "en".equals(
                Db.string(db, "select locale from delivery where notice_id = ? and status = 'SENT'", n.noticeId())));
    }

    @Test
    void aServiceNoticeIsRenderedInTheSubjectsLanguageSentOnceAndReported() throws Exception {
        UUID zh = UUID.randomUUID();
        UUID en = UUID.randomUUID();
        NoticeRequested a = notice(zh, "SERVICE", "service-notice", List.of("EMAIL"), "zh-CN", Map.of("requestId", "r-42"));
        NoticeRequested b = notice(en, "SERVICE", "service-notice", List.of("EMAIL"), "en", Map.of("requestId", "r-43"));
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("notification.events")) {
            String id = Topics.send(EventTypes.NOTICE_REQUESTED, a);
            Topics.send(EventTypes.NOTICE_REQUESTED, a, id);                 // the same event redelivered
            Topics.send(EventTypes.NOTICE_REQUESTED, a);                     // the same notice requested again
            Topics.send(EventTypes.NOTICE_REQUESTED, b);
            List<Topics.Published> all = Topics.read(topic, schemas, l -> l.stream().anyMatch(p -> p.body().contains(a.noticeId().toString()))
                    && l.stream().anyMatch(p -> p.body().contains(b.noticeId().toString())), Duration.ofSeconds(30));
            all = new java.util.ArrayList<>(all);
            all.addAll(Topics.read(topic, schemas, l -> false, Duration.ofSeconds(2)));
            List<Topics.Published> got = all.stream().filter(p -> p.body().contains(a.noticeId().toString())).toList();
            assertThat(got).hasSize(1);
            assertThat(got.get(0).is(EventTypes.NOTICE_DELIVERED)).isTrue();
            assertThat(got.get(0).json().getString("channel")).isEqualTo("EMAIL");
            assertThat(got.get(0).body()).doesNotContain("@");
            assertThat(all).anyMatch(p -> p.body().contains(b.noticeId().toString()) && p.is(EventTypes.NOTICE_DELIVERED));
        }
        List<MimeMessage> toZh = Mails.to(smtp, StubServices.email(zh));
        assertThat(toZh).hasSize(1);
        assertThat(Mails.subject(toZh.get(0))).contains("服务消息");
        assertThat(Mails.text(toZh.get(0))).contains("requestId").contains("r-42");
        MimeMessage toEn = Mails.to(smtp, StubServices.email(en)).get(0);
        assertThat(Mails.subject(toEn)).isEqualTo("A message about your Pledge account");
        assertThat(Mails.header(toEn, "X-Pledge-Notice")).isEqualTo(b.noticeId().toString());
        assertThat(Mails.ofNotice(smtp, a.noticeId())).hasSize(1);
        assertThat(Db.count(db, "select count(*) from delivery where notice_id = ?", a.noticeId())).isEqualTo(1);
        assertThat(Db.string(db, "select status from delivery where notice_id = ?", a.noticeId())).isEqualTo("SENT");
    }

    @Test
    void aVerificationCodeIsFetchedAtSendTimeAndNeverStoredLoggedOrPublished() throws Exception {
        UUID subject = UUID.randomUUID();
        NoticeRequested byEmail = notice(subject, "VERIFICATION_CODE", "verification-code", List.of("EMAIL"), "en",
                Map.of("purpose", "REGISTRATION", "expiresAt", "2026-11-29T12:10:00Z"));
        NoticeRequested bySms = notice(subject, "VERIFICATION_CODE", "verification-code", List.of("SMS"), "zh-CN",
                Map.of("purpose", "LOGIN", "expiresAt", "2026-11-29T12:10:00Z"));
        String address = "code-" + subject + "@example.test";
        String mobile = "+8613912345678";
        Stub.secret(byEmail.noticeId(), subject, "EMAIL", address, "493817");
        Stub.secret(bySms.noticeId(), subject, "MOBILE", mobile, "720264");
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("notification.events")) {
            Topics.send(EventTypes.NOTICE_REQUESTED, byEmail);
            Topics.send(EventTypes.NOTICE_REQUESTED, bySms);
            List<Topics.Published> both = Topics.read(topic, schemas, l -> l.stream().filter(p -> p.body().contains(
                    byEmail.noticeId().toString()) || p.body().contains(bySms.noticeId().toString())).count() >= 2, Duration.ofSeconds(30));
            assertThat(both.stream().filter(p -> p.body().contains(byEmail.noticeId().toString())).findFirst().orElseThrow()
                    .is(EventTypes.NOTICE_DELIVERED)).isTrue();
            List<Topics.Published> sms = both.stream().filter(p -> p.body().contains(bySms.noticeId().toString())).toList();
            assertThat(sms.get(0).is(EventTypes.NOTICE_DELIVERED)).isTrue();
            assertThat(sms.get(0).body()).doesNotContain("720264").doesNotContain(mobile);
        }
        MimeMessage mail = Mails.to(smtp, address).get(0);
        assertThat(Mails.text(mail)).contains("493817").contains("REGISTRATION");
        JsonObject text = Stub.webhook().stream().filter(w -> bySms.noticeId().toString().equals(w.getString("noticeId")))
                .findFirst().orElseThrow();
        assertThat(text.getBoolean("_validSignature")).isTrue();
        assertThat(text.getString("to")).isEqualTo(mobile);
        assertThat(text.getString("text")).contains("720264").contains("验证码");
        for (String code : List.of("493817", "720264")) {
            // a code as a number of its own: six digits inside a nanosecond timestamp are not the code
            assertThat(Db.columnsMatching(db, "(^|[^0-9])" + code + "([^0-9]|$)")).as("columns holding a code").isEmpty();
        }
        for (String contact : List.of(address, mobile)) {
            assertThat(Db.columnsContaining(db, contact)).as("columns holding a contact value").isEmpty();
        }
        for (String secret : List.of("493817", "720264", address, mobile)) {
            assertThat(Files.readString(Path.of("target/notification-service-test.log"))).doesNotContain(secret);
        }
    }

    @Test
    void aCodeIsWrittenInTheLanguageAccountServiceNamesWithTheSecret() throws Exception {
        UUID subject = UUID.randomUUID();
        NoticeRequested n = notice(subject, "VERIFICATION_CODE", "verification-code", List.of("SMS"), "zh-CN",
                Map.of("purpose", "LOGIN", "expiresAt", "2026-11-29T12:10:00Z"));
        Stub.secret(n.noticeId(), subject, "MOBILE", "+8613900001111", "318275", "en");
        Topics.send(EventTypes.NOTICE_REQUESTED, n);
        await().atMost(Duration.ofSeconds(30)).until(() -> Stub.webhook().stream()
                .anyMatch(w -> n.noticeId().toString().equals(w.getString("noticeId"))));
        JsonObject text = Stub.webhook().stream().filter(w -> n.noticeId().toString().equals(w.getString("noticeId")))
                .findFirst().orElseThrow();
        assertThat(text.getString("text")).contains("318275").doesNotContain("验证码");
        assertThat(text.getString("locale")).isEqualTo("en");
        await().atMost(Duration.ofSeconds(10)).until(() -> "en".equals(
                Db.string(db, "select locale from delivery where notice_id = ?", n.noticeId())));
    }

    @Test
    void aCodeNoLongerDeliverableFailsAtOnceWithNoticeFailed() throws Exception {
        NoticeRequested n = notice(UUID.randomUUID(), "VERIFICATION_CODE", "verification-code", List.of("EMAIL"), "en",
                Map.of("purpose", "LOGIN"));
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("notification.events")) {
            Topics.send(EventTypes.NOTICE_REQUESTED, n);
            Topics.Published p = outcomes(topic, n.noticeId(), 1).get(0);
            assertThat(p.is(EventTypes.NOTICE_FAILED)).isTrue();
            assertThat(p.json().getString("reasonCode")).isEqualTo("SECRET_UNAVAILABLE");
        }
    }

    @Test
    void anSmtpOutageIsRetriedWithBackOffAndTheNoticeArrivesOnceWhenTheServerIsBack() throws Exception {
        UUID subject = UUID.randomUUID();
        NoticeRequested n = notice(subject, "SERVICE", "service-notice", List.of("EMAIL"), "en", Map.of("requestId", "r-1"));
        smtp.stop();
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("notification.events")) {
            Topics.send(EventTypes.NOTICE_REQUESTED, n);
            await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(db,
                    "select count(*) from delivery where notice_id = ? and status = 'PENDING' and attempts >= 1 "
                            + "and reason_code = 'SMTP_UNAVAILABLE' and next_attempt_at > now()", n.noticeId()) == 1);
            smtp.start();
            assertThat(outcomes(topic, n.noticeId(), 1).get(0).is(EventTypes.NOTICE_DELIVERED)).isTrue();
        } finally {
            smtp.start();
        }
        assertThat(Mails.ofNotice(smtp, n.noticeId())).hasSize(1);
        assertThat(Db.count(db, "select attempts from delivery where notice_id = ?", n.noticeId())).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aProviderThatKeepsFailingEndsInNoticeFailedAfterTheLastAttempt() throws Exception {
        NoticeRequested n = notice(UUID.randomUUID(), "SERVICE", "service-notice", List.of("PUSH"), "en", Map.of("requestId", "r-9"));
        Stub.webhookStatus(503);
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("notification.events")) {
            Topics.send(EventTypes.NOTICE_REQUESTED, n);
            Topics.Published p = outcomes(topic, n.noticeId(), 1).get(0);
            assertThat(p.is(EventTypes.NOTICE_FAILED)).isTrue();
            assertThat(p.json().getString("reasonCode")).isEqualTo("PROVIDER_UNAVAILABLE");
            assertThat(p.json().getInteger("attempts")).isEqualTo(4);
        } finally {
            Stub.webhookStatus(200);
        }
        long calls = Stub.webhook().stream().filter(w -> n.noticeId().toString().equals(w.getString("noticeId"))).count();
        assertThat(calls).isEqualTo(4);
    }

    @Test
    void pushGoesToTheSignedWebhookByIdAndLettersToThePrintQueue() throws Exception {
        UUID subject = UUID.randomUUID();
        NoticeRequested n = notice(subject, "SERVICE", "service-notice", List.of("PUSH", "LETTER"), "zh-CN", Map.of("requestId", "r-7"));
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("notification.events")) {
            Topics.send(EventTypes.NOTICE_REQUESTED, n);
            List<Topics.Published> got = outcomes(topic, n.noticeId(), 2);
            assertThat(got).extracting(p -> p.json().getString("channel")).containsExactlyInAnyOrder("PUSH", "LETTER");
        }
        JsonObject push = Stub.webhook().stream().filter(w -> n.noticeId().toString().equals(w.getString("noticeId"))).findFirst().orElseThrow();
        assertThat(push.getString("channel")).isEqualTo("PUSH");
        assertThat(push.getString("subjectId")).isEqualTo(subject.toString());
        assertThat(push.getValue("to")).isNull();
        String holder = TestTokens.client("print-provider", "notification-service",
                Set.of(io.pledge.kit.security.Scopes.PRINT_JOB_EXPORT), Duration.ofMinutes(5));
        List<Map<String, Object>> letters = given().auth().oauth2(holder).when().post("/internal/v1/print-jobs/export?limit=1000")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(letters).anySatisfy(l -> {
            assertThat(l.get("subjectId")).isEqualTo(subject.toString());
            assertThat((String) l.get("body")).contains("r-7");
        });
        // taken once
        List<Map<String, Object>> again = given().auth().oauth2(holder).when().post("/internal/v1/print-jobs/export")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(again).noneMatch(l -> subject.toString().equals(l.get("subjectId")));
    }

    @Test
    void anUnknownTemplateFailsWithoutSendingAnything() throws Exception {
        NoticeRequested n = notice(UUID.randomUUID(), "SERVICE", "no-such-template", List.of("EMAIL"), "en", Map.of());
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("notification.events")) {
            Topics.send(EventTypes.NOTICE_REQUESTED, n);
            Topics.Published p = outcomes(topic, n.noticeId(), 1).get(0);
            assertThat(p.is(EventTypes.NOTICE_FAILED)).isTrue();
            assertThat(p.json().getString("reasonCode")).isEqualTo("UNKNOWN_TEMPLATE");
        }
        assertThat(Mails.ofNotice(smtp, n.noticeId())).isEmpty();
    }

    @Test
    void aSubjectAccountServiceDoesNotKnowFailsWithNoContact() throws Exception {
        UUID subject = UUID.randomUUID();
        Stub.unknown(subject);
        NoticeRequested n = notice(subject, "SERVICE", "service-notice", List.of("EMAIL", "SMS"), "en", Map.of());
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("notification.events")) {
            Topics.send(EventTypes.NOTICE_REQUESTED, n);
            List<Topics.Published> got = outcomes(topic, n.noticeId(), 2);
            assertThat(got).allSatisfy(p -> {
                assertThat(p.is(EventTypes.NOTICE_FAILED)).isTrue();
                assertThat(p.json().getString("reasonCode")).isEqualTo("NO_CONTACT");
            });
        }
    }
}
