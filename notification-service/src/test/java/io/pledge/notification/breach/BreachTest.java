package io.pledge.notification.breach;

import static io.pledge.notification.support.Officers.PROBLEM;
import static io.pledge.notification.support.Officers.declaration;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.events.account.AccountRegistered;
import io.pledge.events.rights.BreachMeasuresRequested;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.testing.TestTokens;
import io.pledge.notification.smtp.EmbeddedSmtp;
import io.pledge.kit.testing.Db;
import io.pledge.notification.support.Mails;
import io.pledge.notification.support.Officers;
import io.pledge.notification.support.Stub;
import io.pledge.notification.support.StubServices;
import io.pledge.notification.support.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Breach incidents (policy 5.3) against the real database, topics and SMTP server: a security officer declares
 * an incident; every affected subject gets exactly one notice per channel with all five parts in their language;
 * those who cannot be reached are covered by the public announcement; the regulator report is generated.
 * account-service's contact lookup and the SMS/push webhook are {@link StubServices}.
 */
@QuarkusTest
class BreachTest {

    @Inject
    AgroalDataSource db;
    @Inject
    EventSchemas schemas;
    @Inject
    EmbeddedSmtp smtp;

    private static JsonPath done(UUID incident) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> Officers.security().when().get("/v1/incidents/{id}", incident).then().statusCode(200)
                        .extract().jsonPath(), j -> "DONE".equals(j.getString("progress.status")));
    }

    @Test
    @Tag("clause-5.3")
    void everyAffectedSubjectGetsExactlyOneNoticePerChannelWithTheFiveParts() throws Exception {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID unreachable = UUID.randomUUID();
        Stub.unknown(unreachable);
        JsonPath declared;
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("notification.events")) {
            declared = Officers.security().body(declaration("SUBJECTS", List.of(a, b, unreachable, a), List.of("EMAIL", "SMS")))
                    .when().post("/v1/incidents").then().statusCode(201)
                    .body("affectedSubjects", equalTo(3)).extract().jsonPath();
            UUID incident = UUID.fromString(declared.getString("incidentId"));
            List<Topics.Published> got = Topics.read(topic, schemas, Topics.has(EventTypes.BREACH_DECLARED, incident.toString(), 1),
                    Duration.ofSeconds(30));
            JsonObject e = got.stream().filter(p -> p.is(EventTypes.BREACH_DECLARED)).findFirst().orElseThrow().json();
            assertThat(e.getInteger("affectedSubjects")).isEqualTo(3);
            assertThat(e.getJsonArray("categories").getList()).containsExactly("contact");
            assertThat(e.encode()).doesNotContain(a.toString());
        }
        UUID incident = UUID.fromString(declared.getString("incidentId"));
        JsonPath done = done(incident);
        assertThat(done.getLong("progress.notices")).isEqualTo(6);
        assertThat(done.getLong("progress.delivered")).isEqualTo(4);
        assertThat(done.getLong("progress.failed")).isEqualTo(2);
        assertThat(done.getLong("progress.remaining")).isZero();
        assertThat(done.getLong("progress.unreachedSubjects")).isEqualTo(1);

        List<MimeMessage> toA = Mails.to(smtp, StubServices.email(a));
        assertThat(toA).hasSize(1);
        String body = Mails.text(toA.get(0));
        assertThat(Mails.subject(toA.get(0))).isEqualTo("安全事件告知：账户数据泄露");
        assertThat(body).contains("一个备份文件被未授权访问。", "您的联系方式可能被用于钓鱼。", "我们已关闭该访问并轮换密钥。",
                "请警惕可疑邮件并修改密码。", "我们为您提供一年的身份保护服务。");
        assertThat(Mails.to(smtp, StubServices.email(b))).hasSize(1);
        List<JsonObject> sms = Stub.webhook().stream().filter(w -> a.toString().equals(w.getString("subjectId"))
                && w.getString("text").contains(incident.toString())).toList();
        assertThat(sms).hasSize(1);
        assertThat(sms.get(0).getString("to")).isEqualTo(StubServices.mobile(a));
        assertThat(sms.get(0).getString("text")).contains("请警惕可疑邮件并修改密码。");

        // the unreachable subject is covered by the public announcement: no token needed, no personal data in it
        UUID announcement = UUID.fromString(done.getString("announcementId"));
        String page = given().when().get("/v1/announcements/{id}", announcement).then().statusCode(200)
                .body("kind", equalTo("BREACH")).body("title.en", equalTo("Account data exposure"))
                .extract().asString();
        assertThat(page).contains("Be wary of suspicious emails").doesNotContain(a.toString()).doesNotContain(unreachable.toString())
                .doesNotContain("@");
        assertThat(given().when().get("/v1/announcements").then().statusCode(200).extract().jsonPath().getList("id"))
                .contains(announcement.toString());

        // the regulator report: five parts, counts, timeline, delivery statistics
        JsonPath report = Officers.privacy().when().get("/v1/incidents/{id}/regulator-report", incident).then().statusCode(200)
                .extract().jsonPath();
        assertThat(report.getInt("affectedSubjects")).isEqualTo(3);
        assertThat(report.getInt("categoryCount")).isEqualTo(1);
        assertThat(report.getString("parts.remedies.en")).isEqualTo("We offer one year of identity protection.");
        assertThat(report.getString("timeline.declaredAt")).isNotNull();
        assertThat(report.getString("timeline.firstNoticeAt")).isNotNull();
        assertThat(report.getString("timeline.announcementPublishedAt")).isNotNull();
        assertThat(report.getLong("deliveries.delivered")).isEqualTo(4);
        String md = Officers.privacy().accept("text/markdown").when().get("/v1/incidents/{id}/regulator-report", incident)
                .then().statusCode(200).contentType(org.hamcrest.Matchers.containsString("text/markdown")).extract().asString();
        assertThat(md).contains("## 补救措施 / Remedies", "We offer one year of identity protection.", "| EMAIL | SENT | 2 |")
                .doesNotContain(a.toString());
    }

    @Test
    @Tag("clause-5.3")
    void eachSubjectGetsTheNoticeInTheLanguageAccountServiceNames() throws Exception {
        UUID en = UUID.randomUUID();
        UUID zh = UUID.randomUUID();
        UUID unsaid = UUID.randomUUID();
        Stub.locale(en, "en");
        Stub.locale(zh, "zh-CN");
        UUID incident = UUID.fromString(Officers.security()
                .body(declaration("SUBJECTS", List.of(en, zh, unsaid), List.of("EMAIL", "SMS")))
                .when().post("/v1/incidents").then().statusCode(201).extract().path("incidentId"));
        JsonPath done = done(incident);
        assertThat(done.getLong("progress.delivered")).isEqualTo(6);

        List<MimeMessage> toEn = Mails.to(smtp, StubServices.email(en));
        assertThat(toEn).hasSize(1);
        assertThat(Mails.subject(toEn.get(0))).isEqualTo("Security incident notice: Account data exposure");
        assertThat(Mails.header(toEn.get(0), "Content-Language")).isEqualTo("en");
        assertThat(Mails.text(toEn.get(0))).contains("What happened:", "A backup file was accessed without authorisation.",
                "Be wary of suspicious emails and change your password.", "We offer one year of identity protection.")
                .doesNotContain("事件情况", "一个备份文件被未授权访问。");

        // zh-CN said, and nothing said (an account-service from before locales): the Chinese text
        for (UUID s : List.of(zh, unsaid)) {
            List<MimeMessage> got = Mails.to(smtp, StubServices.email(s));
            assertThat(got).hasSize(1);
            assertThat(Mails.subject(got.get(0))).isEqualTo("安全事件告知：账户数据泄露");
            assertThat(Mails.header(got.get(0), "Content-Language")).isEqualTo("zh-CN");
            assertThat(Mails.text(got.get(0))).contains("事件情况：", "一个备份文件被未授权访问。", "我们为您提供一年的身份保护服务。")
                    .doesNotContain("What happened", "A backup file");
        }

        // the SMS webhook gets the same language, and each delivery keeps the locale it was written in
        Map<String, String> smsLocale = new java.util.HashMap<>();
        for (JsonObject w : Stub.webhook()) {
            if (w.getString("text").contains(incident.toString())) {
                smsLocale.put(w.getString("subjectId"), w.getString("locale"));
                if (en.toString().equals(w.getString("subjectId"))) {
                    assertThat(w.getString("text")).contains("We closed the access and rotated keys.");
                }
            }
        }
        assertThat(smsLocale).containsExactlyInAnyOrderEntriesOf(Map.of(en.toString(), "en", zh.toString(), "zh-CN",
                unsaid.toString(), "zh-CN"));
        assertThat(Db.count(db, "select count(*) from delivery where subject_id = ? and locale = 'en' and status = 'SENT'", en))
                .isEqualTo(2);
        assertThat(Db.count(db, "select count(*) from delivery where subject_id in (?, ?) and locale = 'zh-CN' and status = 'SENT'",
                zh, unsaid)).isEqualTo(4);
    }

    @Test
    @Tag("clause-5.3")
    void byCategoryTheIncidentReachesEveryKnownSubjectOfTheDirectory() throws Exception {
        List<UUID> known = List.of(UUID.randomUUID(), UUID.randomUUID());
        for (UUID s : known) {
            Topics.send(EventTypes.ACCOUNT_REGISTERED, new AccountRegistered(s, "INDIVIDUAL", false, Instant.now()));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(db, "select count(*) from subject_directory where subject_id in (?, ?)",
                known.get(0), known.get(1)) == 2);
        Map<String, Object> d = declaration("CATEGORIES", null, List.of("EMAIL"));
        d.put("categories", List.of("contact", "login"));
        UUID incident = UUID.fromString(Officers.security().body(d).when().post("/v1/incidents").then().statusCode(201)
                .body("affectedBy", equalTo("CATEGORIES")).extract().path("incidentId"));
        done(incident);
        for (UUID s : known) {
            assertThat(Mails.to(smtp, StubServices.email(s)).stream().filter(m -> Mails.text(m).contains(incident.toString())))
                    .hasSize(1);
        }
    }

    @Test
    @Tag("clause-5.3")
    void whenIndividualNoticeIsImpracticalTheAnnouncementIsPublishedInstead() {
        Map<String, Object> d = declaration("SUBJECTS", List.of(UUID.randomUUID()), List.of("EMAIL"));
        d.put("individualNoticeImpractical", true);
        JsonPath v = Officers.security().body(d).when().post("/v1/incidents").then().statusCode(201).extract().jsonPath();
        assertThat(v.getString("campaignId")).isNull();
        given().when().get("/v1/announcements/{id}", v.getString("announcementId")).then().statusCode(200)
                .body("body.zh-CN", org.hamcrest.Matchers.containsString("补救措施"));
        assertThat(Db.count(db, "select count(*) from delivery where params->>'incidentId' = ?", v.getString("incidentId"))).isZero();
    }

    @Test
    @Tag("clause-5.3")
    void aDeclarationMissingAPartOrALanguageIsRefusedAndCreatesNothing() {
        long before = Db.count(db, "select count(*) from incident");
        long outbox = Db.count(db, "select count(*) from pledge_outbox where ce_type like '%BreachDeclared%'");
        for (String part : List.of("whatHappened", "possibleEffects", "measuresTaken", "selfProtection", "remedies")) {
            Map<String, Object> d = declaration("SUBJECTS", List.of(UUID.randomUUID()), List.of("EMAIL"));
            d.remove(part);
            Officers.security().body(d).when().post("/v1/incidents").then().statusCode(400).contentType(PROBLEM)
                    .body("field", equalTo(part));
            d = declaration("SUBJECTS", List.of(UUID.randomUUID()), List.of("EMAIL"));
            d.put(part, Map.of("zh-CN", "只有中文"));
            Officers.security().body(d).when().post("/v1/incidents").then().statusCode(400).contentType(PROBLEM)
                    .body("field", org.hamcrest.Matchers.startsWith(part));
        }
        Map<String, Object> noSubjects = declaration("SUBJECTS", List.of(), List.of("EMAIL"));
        Officers.security().body(noSubjects).when().post("/v1/incidents").then().statusCode(400).body("field", equalTo("affectedSubjects"));
        Map<String, Object> unknownCategory = declaration("CATEGORIES", null, List.of("EMAIL"));
        unknownCategory.put("categories", List.of("billing"));
        Officers.security().body(unknownCategory).when().post("/v1/incidents").then().statusCode(422).contentType(PROBLEM)
                .body("field", equalTo("categories"));
        Map<String, Object> badChannel = declaration("SUBJECTS", List.of(UUID.randomUUID()), List.of("FAX"));
        Officers.security().body(badChannel).when().post("/v1/incidents").then().statusCode(400).contentType(PROBLEM);
        Officers.security().body("{\"title\": ").when().post("/v1/incidents").then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("urn:pledge:problem:malformed-json"));
        // only a security officer declares
        given().auth().oauth2(TestTokens.subject(UUID.randomUUID())).contentType("application/json")
                .body(declaration("SUBJECTS", List.of(UUID.randomUUID()), List.of("EMAIL")))
                .when().post("/v1/incidents").then().statusCode(403).contentType(PROBLEM);
        Officers.privacy().body(declaration("SUBJECTS", List.of(UUID.randomUUID()), List.of("EMAIL")))
                .when().post("/v1/incidents").then().statusCode(403).contentType(PROBLEM);
        assertThat(Db.count(db, "select count(*) from incident")).isEqualTo(before);
        assertThat(Db.count(db, "select count(*) from pledge_outbox where ce_type like '%BreachDeclared%'")).isEqualTo(outbox);
    }

    @Test
    @Tag("clause-5.3")
    void theSameIdempotencyKeyDeclaresOnce() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> d = declaration("SUBJECTS", List.of(UUID.randomUUID()), List.of("EMAIL"));
        String first = Officers.security().header("Idempotency-Key", key).body(d).when().post("/v1/incidents").then()
                .statusCode(201).extract().path("incidentId");
        String second = Officers.security().header("Idempotency-Key", key).body(d).when().post("/v1/incidents").then()
                .statusCode(201).extract().path("incidentId");
        assertThat(second).isEqualTo(first);
        assertThat(Db.count(db, "select count(*) from campaign where ref = ?", "incident:" + first)).isEqualTo(1);
    }

    /** consent-service is held down (a stub answering 503) so that a marketing delivery waits, pending, for the measures. */
    @Test
    @Tag("clause-5.3")
    void asAHolderItCancelsPendingMarketingAsItsBreachMeasureAndCountsWhatItCancelled() throws Exception {
        UUID subject = UUID.randomUUID();
        Stub.consent(subject, "marketing-email", true);
        io.pledge.events.notification.NoticeRequested offer = new io.pledge.events.notification.NoticeRequested(
                UUID.randomUUID(), subject, "MARKETING", "marketing-offer", List.of("EMAIL"), "en",
                Map.of("offerId", "spring-27", "offerUrl", "https://pledge.local/offers/spring-27"), Instant.now());
        BreachMeasuresRequested elsewhere = new BreachMeasuresRequested(UUID.randomUUID(), UUID.randomUUID(),
                List.of("consent-records"), List.of("notification-service"), Instant.now(), Instant.now().plusSeconds(86400));
        BreachMeasuresRequested cmd = new BreachMeasuresRequested(UUID.randomUUID(), UUID.randomUUID(), List.of("contact"),
                List.of("notification-service", "account-service"), Instant.now(), Instant.now().plusSeconds(86400));
        Stub.consentDown(true);
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.NOTICE_REQUESTED, offer);
            await().atMost(Duration.ofSeconds(20)).until(() -> Db.count(db, "select count(*) from delivery where notice_id = ? "
                    + "and status = 'PENDING' and attempts >= 1", offer.noticeId()) == 1);

            // a category not held here: nothing changes, NOT_HELD
            Topics.send(EventTypes.BREACH_MEASURES_REQUESTED, elsewhere);
            JsonObject notHeld = reply(topic, elsewhere.requestId());
            assertThat(notHeld.getString("outcome")).isEqualTo("NOT_HELD");
            assertThat(notHeld.getValue("counts")).isNull();
            assertThat(Db.count(db, "select count(*) from delivery where notice_id = ? and status = 'PENDING'",
                    offer.noticeId())).isEqualTo(1);

            long before = Db.count(db, "select count(*) from delivery where reason_code = 'BREACH_MEASURES'");
            Topics.send(EventTypes.BREACH_MEASURES_REQUESTED, cmd);
            JsonObject reply = reply(topic, cmd.requestId());
            assertThat(reply.getString("holderId")).isEqualTo("notification-service");
            assertThat(reply.getString("command")).isEqualTo("BreachMeasuresRequested");
            assertThat(reply.getString("outcome")).isEqualTo("APPLIED");
            // the count is the state changed: the deliveries now cancelled by the measures, this subject's among them
            long cancelled = Db.count(db, "select count(*) from delivery where reason_code = 'BREACH_MEASURES'") - before;
            assertThat(reply.getJsonObject("counts").getMap()).containsOnly(Map.entry("delivery", (int) cancelled));
            assertThat(cancelled).isPositive();
            assertThat(Db.count(db, "select count(*) from delivery where notice_id = ? and status = 'CANCELLED' "
                    + "and reason_code = 'BREACH_MEASURES'", offer.noticeId())).isEqualTo(1);
        } finally {
            Stub.consentDown(false);
        }
        Thread.sleep(2500);
        assertThat(Mails.ofNotice(smtp, offer.noticeId())).isEmpty();
    }

    private JsonObject reply(KafkaConsumer<String, byte[]> topic, UUID requestId) {
        return Topics.read(topic, schemas, Topics.has(EventTypes.HOLDER_REPLIED, requestId.toString(), 1),
                Duration.ofSeconds(30)).stream().filter(p -> p.body().contains(requestId.toString())).findFirst()
                .orElseThrow().json();
    }

    @Test
    void anIncidentIsReadOnlyByOfficers() {
        UUID incident = UUID.fromString(Officers.security().body(declaration("SUBJECTS", List.of(UUID.randomUUID()), List.of("EMAIL")))
                .when().post("/v1/incidents").then().statusCode(201).extract().path("incidentId"));
        given().auth().oauth2(TestTokens.client("holder-x", "notification-service", Set.of(), Duration.ofMinutes(5)))
                .when().get("/v1/incidents/{id}", incident).then().statusCode(403).contentType(PROBLEM);
        given().when().get("/v1/incidents/{id}/regulator-report", incident).then().statusCode(401).contentType(PROBLEM);
        Officers.security().when().get("/v1/incidents/{id}", UUID.randomUUID()).then().statusCode(404).contentType(PROBLEM);
    }
}
