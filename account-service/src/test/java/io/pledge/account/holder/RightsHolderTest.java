package io.pledge.account.holder;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.pledge.account.support.Api;
import io.pledge.kit.testing.Db;
import io.pledge.account.support.Topics;
import io.pledge.events.EventTypes;
import io.pledge.events.rights.BreachMeasuresRequested;
import io.pledge.events.rights.CorrectionRequested;
import io.pledge.events.rights.ErasureRequested;
import io.pledge.events.rights.ExportRequested;
import io.pledge.events.rights.ProcessingStopRequested;
import io.pledge.kit.crypto.SubjectKeyRing;
import io.pledge.kit.events.EventSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * account-service as a holder: commands sent to the real rights.commands topic as rights-request-service
 * sends them, replies read back from the real rights.replies topic and held against their schema.
 */
@QuarkusTest
class RightsHolderTest {

    @Inject
    AgroalDataSource db;
    @Inject
    EventSchemas schemas;
    @Inject
    SubjectKeyRing keys;

    @Inject
    Api api;

    @Inject
    io.pledge.account.minors.Sweeps sweeps;

    private static ErasureRequested erasure(UUID subject, String ground) {
        return new ErasureRequested(UUID.randomUUID(), subject, ground, List.of("account", "contact"),
                List.of("account-service", "consent-service"), Instant.now(), Instant.now().plus(Duration.ofDays(30)));
    }

    private List<Topics.Published> replies(KafkaConsumer<String, byte[]> topic, UUID requestId) {
        return Topics.read(topic, schemas, Topics.has(EventTypes.HOLDER_REPLIED, requestId.toString(), 1),
                Duration.ofSeconds(30)).stream()
                .filter(p -> p.is(EventTypes.HOLDER_REPLIED) && p.body().contains(requestId.toString())).toList();
    }

    @Test
    @Tag("clause-6.3")
    void erasureDeletesRowsShredsTheKeyAndRepliesOnceEvenWhenDeliveredTwice() throws Exception {
        Api.Person p = api.adult("erase");
        Api.as(p).body(Map.of("nickname", "nick", "qq", "12345678")).when().put("/v1/accounts/{id}/profile", p.id())
                .then().statusCode(200);
        ErasureRequested cmd = erasure(p.id(), "6.3.4");
        String eventId = UUID.randomUUID().toString();
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.ERASURE_REQUESTED, cmd, eventId);
            Topics.send(EventTypes.ERASURE_REQUESTED, cmd, eventId);
            List<Topics.Published> got = replies(topic, cmd.requestId());
            // a little longer, to see that the duplicate produced no second reply
            got = new java.util.ArrayList<>(got);
            got.addAll(Topics.read(topic, schemas, l -> false, Duration.ofSeconds(3)).stream()
                    .filter(x -> x.body().contains(cmd.requestId().toString())).toList());
            assertThat(got).hasSize(1);
            JsonObject reply = got.get(0).json();
            assertThat(reply.getString("holderId")).isEqualTo("account-service");
            assertThat(reply.getString("outcome")).isEqualTo("ERASED");
            assertThat(reply.getJsonObject("counts").getInteger("account")).isEqualTo(1);
            assertThat(reply.getJsonObject("counts").getInteger("profile")).isEqualTo(1);
            assertThat(reply.getJsonObject("counts").getInteger("session")).isGreaterThanOrEqualTo(1);
        }
        assertThat(Db.count(db, "select count(*) from account where id = ?", p.id())).isZero();
        assertThat(Db.count(db, "select count(*) from profile where subject_id = ?", p.id())).isZero();
        // the session ends: no refresh token is left and the session lives only as long as the access token in hand
        // (so the subject can follow the request to its certificate); the sweep deletes the row once it ended
        assertThat(Db.count(db, "select count(*) from refresh_token t join login_session s on s.id = t.session_id "
                + "where s.subject_id = ?", p.id())).isZero();
        assertThat(Db.count(db, "select count(*) from login_session where subject_id = ? and revoked_at is null "
                + "and expires_at > now() + interval '16 minutes'", p.id())).isZero();
        given().contentType(ContentType.JSON).body(Map.of("refreshToken", p.refresh())).when().post("/v1/sessions/refresh")
                .then().statusCode(401);
        assertThat(sweeps.dropEndedSessionsOfErasedSubjects(java.time.Instant.now().plus(Duration.ofMinutes(16))))
                .isGreaterThanOrEqualTo(1);
        assertThat(Db.count(db, "select count(*) from login_session where subject_id = ?", p.id())).isZero();
        assertThat(keys.shreddedAt(p.id())).isPresent();
        api.login(p.mobile(), p.password()).statusCode(401);
        // the values are free again
        assertThat(Db.count(db, "select count(*) from pledge_processed_event where event_id = ?", eventId)).isEqualTo(1);
    }

    @Test
    @Tag("clause-6.3")
    void aVerifiedRealNameRecordIsRetainedWithBasisAndUntil() throws Exception {
        Api.Person p = api.adult("retain");
        String v = Api.as(p).body(Map.of("method", "FACE", "providerRef", "mps-1"))
                .when().post("/v1/accounts/{id}/real-name", p.id()).then().statusCode(201).extract().path("verificationId");
        given().auth().oauth2(api.holderToken("realname-provider")).contentType(ContentType.JSON)
                .body(Map.of("result", "VERIFIED")).when().post("/internal/v1/real-name/{v}/decision", v)
                .then().statusCode(200);
        ErasureRequested cmd = erasure(p.id(), "CANCELLATION");
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.ERASURE_REQUESTED, cmd);
            JsonObject reply = replies(topic, cmd.requestId()).get(0).json();
            assertThat(reply.getString("outcome")).isEqualTo("RETAINED");
            assertThat(reply.getJsonArray("retained").getJsonObject(0).getString("legalBasis"))
                    .isEqualTo("INTERNET_REAL_NAME_RULES");
            assertThat(reply.getJsonObject("counts").getInteger("account")).isEqualTo(1);
        }
        assertThat(Db.count(db, "select count(*) from account where id = ?", p.id())).isZero();
        assertThat(Db.count(db, "select count(*) from real_name_verification where subject_id = ? and retained_until is not null",
                p.id())).isEqualTo(1);
        assertThat(keys.shreddedAt(p.id())).isEmpty();
        // the follow-up erasure at the until-date removes it and the key
        ErasureRequested expired = erasure(p.id(), "RETENTION_EXPIRED");
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.ERASURE_REQUESTED, expired);
            assertThat(replies(topic, expired.requestId()).get(0).json().getString("outcome")).isEqualTo("ERASED");
        }
        assertThat(Db.count(db, "select count(*) from real_name_verification where subject_id = ?", p.id())).isZero();
        assertThat(keys.shreddedAt(p.id())).isPresent();
    }

    @Test
    @Tag("clause-6.3")
    void aCommandForOtherHoldersOnlyIsIgnoredAndAnUnknownSubjectIsNotHeld() throws Exception {
        Api.Person p = api.adult("notme");
        ErasureRequested other = new ErasureRequested(UUID.randomUUID(), p.id(), "6.3.4", List.of("account"),
                List.of("consent-service"), Instant.now(), Instant.now().plus(Duration.ofDays(30)));
        ErasureRequested unknown = erasure(UUID.randomUUID(), "6.3.4");
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.ERASURE_REQUESTED, other);
            Topics.send(EventTypes.ERASURE_REQUESTED, unknown);
            assertThat(replies(topic, unknown.requestId()).get(0).json().getString("outcome")).isEqualTo("NOT_HELD");
        }
        assertThat(Db.count(db, "select count(*) from account where id = ?", p.id())).isEqualTo(1);
    }

    @Test
    @Tag("clause-6.3")
    void correctionAndExportAreAnswered() throws Exception {
        Api.Person p = api.adult("corr");
        // the subject corrects the mobile here, proven by a code sent to the new number
        String newMobile = "+8613" + String.format("%09d", Math.abs(UUID.randomUUID().getMostSignificantBits()) % 1_000_000_000L);
        String notice = Api.as(p).header("X-Forwarded-For", Api.newAddress())
                .body(Map.of("value", newMobile, "currentPassword", p.password()))
                .when().post("/v1/accounts/{id}/contacts/mobile", p.id()).then().statusCode(202).extract().path("verificationId");
        given().auth().oauth2(api.holderToken("notification-service")).when()
                .get("/internal/v1/notices/{id}/secret", notice).then().body("address", equalTo(newMobile));
        api.confirm(UUID.fromString(notice), "CONTACT_CHANGE", api.code(UUID.fromString(notice)), null).statusCode(200);
        api.login(newMobile, p.password()).statusCode(201);
        api.login(p.mobile(), p.password()).statusCode(401);

        CorrectionRequested corr = new CorrectionRequested(UUID.randomUUID(), p.id(), List.of("mobile"),
                List.of("account-service"), Instant.now(), Instant.now().plus(Duration.ofDays(15)));
        ExportRequested exp = new ExportRequested(UUID.randomUUID(), p.id(), List.of("account"), List.of("account-service"),
                "COPY", Instant.now(), Instant.now().plus(Duration.ofDays(15)));
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.CORRECTION_REQUESTED, corr);
            Topics.send(EventTypes.EXPORT_REQUESTED, exp);
            // a contact change outside the request is not a value staged for it: nothing to apply, not CORRECTED
            // (a staged correction and its reply counts: correction.CorrectionTest)
            JsonObject corrected = replies(topic, corr.requestId()).get(0).json();
            assertThat(corrected.getString("outcome")).isEqualTo("FAILED");
            assertThat(corrected.getString("failureCode")).isEqualTo("CORRECTION_NOT_STAGED");
            JsonObject reply = replies(topic, exp.requestId()).get(0).json();
            assertThat(reply.getString("outcome")).isEqualTo("EXPORTED");
            URI location = URI.create(reply.getString("exportLocation"));
            assertThat(location.getScheme()).isEqualTo("https");
            String path = location.getPath().replaceFirst("^/api/accounts", "");
            given().auth().oauth2(api.holderToken("rights-request-service")).when().get(path + "?" + location.getQuery())
                    .then().statusCode(200).body("account.mobile", equalTo(newMobile))
                    .body("requestId", equalTo(exp.requestId().toString()));
            given().when().get(path).then().statusCode(401);
        }
    }

    /**
     * A stop reaches only what account-service processes for the purpose: its answered contact lookups. consent-service
     * is not started by this module's tests, so a lookup for a consent purpose is always refused here; the use a
     * lookup would have recorded is written as setup (the row {@code ContactLookup} writes for an answered lookup).
     */
    @Test
    @Tag("clause-6.4")
    void aProcessingStopRefusesTheLookupsItCountsAndIsNotHeldWhereNothingWasProcessed() throws Exception {
        Api.Person p = api.adult("stop");
        ProcessingStopRequested unused = new ProcessingStopRequested(UUID.randomUUID(), p.id(), "marketing-email", null,
                List.of("account-service", "notification-service"), Instant.now());
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.PROCESSING_STOP_REQUESTED, unused);
            JsonObject reply = replies(topic, unused.requestId()).get(0).json();
            assertThat(reply.getString("command")).isEqualTo("ProcessingStopRequested");
            assertThat(reply.getString("outcome")).isEqualTo("NOT_HELD");
            assertThat(reply.getValue("counts")).isNull();
            assertThat(Db.count(db, "select count(*) from purpose_use where subject_id = ?", p.id())).isZero();
        }

        UUID consentRecord = UUID.randomUUID();
        Db.exec(db, "insert into purpose_use (subject_id, purpose_id, consent_record_id, lookups, last_used_at) "
                + "values (?, 'marketing-email', ?, 3, now())", p.id(), consentRecord);
        ProcessingStopRequested cmd = new ProcessingStopRequested(UUID.randomUUID(), p.id(), "marketing-email", null,
                List.of("account-service", "notification-service"), Instant.now());
        String eventId = UUID.randomUUID().toString();
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.PROCESSING_STOP_REQUESTED, cmd, eventId);
            Topics.send(EventTypes.PROCESSING_STOP_REQUESTED, cmd, eventId);
            List<Topics.Published> got = new java.util.ArrayList<>(replies(topic, cmd.requestId()));
            got.addAll(Topics.read(topic, schemas, l -> false, Duration.ofSeconds(3)).stream()
                    .filter(x -> x.body().contains(cmd.requestId().toString())).toList());
            assertThat(got).hasSize(1);
            JsonObject reply = got.get(0).json();
            assertThat(reply.getString("outcome")).isEqualTo("APPLIED");
            assertThat(reply.getString("subjectId")).isEqualTo(p.id().toString());
            assertThat(reply.getJsonObject("counts").getMap()).containsExactly(Map.entry("contact-lookup", 1));
        }
        // the state the reply counts: the use is stopped by this request, and refuses the record it relied on
        assertThat(Db.count(db, "select count(*) from purpose_use where subject_id = ? and purpose_id = 'marketing-email' "
                + "and stopped_at is not null and stop_request_id = ?", p.id(), cmd.requestId())).isEqualTo(1);
        PurposeUse.Use stopped = new PurposeUse.Use(consentRecord, Instant.now());
        assertThat(PurposeUse.refuses(stopped, consentRecord)).as("a lagging answer naming the old consent").isTrue();
        assertThat(PurposeUse.refuses(stopped, null)).isTrue();
        assertThat(PurposeUse.refuses(stopped, UUID.randomUUID())).as("consent given again").isFalse();
        assertThat(PurposeUse.refuses(new PurposeUse.Use(consentRecord, null), consentRecord)).isFalse();
        lookupRefused(p, "marketing-email");

        // a second stop changes nothing and says so; a necessary purpose is not stopped here
        ProcessingStopRequested again = new ProcessingStopRequested(UUID.randomUUID(), p.id(), "marketing-email", null,
                List.of("account-service"), Instant.now());
        ProcessingStopRequested necessary = new ProcessingStopRequested(UUID.randomUUID(), p.id(), "service-notice", null,
                List.of("account-service"), Instant.now());
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.PROCESSING_STOP_REQUESTED, again);
            JsonObject reply = replies(topic, again.requestId()).get(0).json();
            assertThat(reply.getString("outcome")).isEqualTo("APPLIED");
            assertThat(reply.getJsonObject("counts").getMap()).containsExactly(Map.entry("contact-lookup", 0));
            Topics.send(EventTypes.PROCESSING_STOP_REQUESTED, necessary);
            assertThat(replies(topic, necessary.requestId()).get(0).json().getString("outcome")).isEqualTo("NOT_HELD");
        }
        assertThat(Db.count(db, "select count(*) from purpose_use where subject_id = ? and stop_request_id = ?",
                p.id(), cmd.requestId())).isEqualTo(1);
        // the account and its necessary processing keep working (policy 2.2.2)
        given().auth().oauth2(p.access()).when().get("/v1/accounts/{id}", p.id()).then().statusCode(200);
        given().auth().oauth2(api.holderToken("notification-service")).contentType(ContentType.JSON)
                .body(Map.of("purposeId", "service-notice", "subjectIds", List.of(p.id()))).when()
                .post("/internal/v1/contacts").then().statusCode(200).body("results[0].outcome", equalTo("OK"));
    }

    private void lookupRefused(Api.Person p, String purpose) {
        given().auth().oauth2(api.holderToken("marketing")).contentType(ContentType.JSON)
                .body(Map.of("purposeId", purpose, "subjectIds", List.of(p.id()))).when().post("/internal/v1/contacts")
                .then().statusCode(200).body("results[0].outcome", equalTo("NOT_PERMITTED"));
    }

    @Test
    @Tag("clause-5.3")
    void breachMeasuresForCredentialsEndEverySessionAndForceAPasswordResetAndCountWhatTheyChanged() throws Exception {
        Api.Person p = api.adult("breach");
        BreachMeasuresRequested other = new BreachMeasuresRequested(UUID.randomUUID(), UUID.randomUUID(),
                List.of("billing"), List.of("account-service"), Instant.now(), Instant.now().plus(Duration.ofDays(1)));
        BreachMeasuresRequested contactOnly = new BreachMeasuresRequested(UUID.randomUUID(), UUID.randomUUID(),
                List.of("contact"), List.of("account-service"), Instant.now(), Instant.now().plus(Duration.ofDays(1)));
        BreachMeasuresRequested cmd = new BreachMeasuresRequested(UUID.randomUUID(), UUID.randomUUID(),
                List.of("credentials", "contact"), List.of("account-service"), Instant.now(),
                Instant.now().plus(Duration.ofDays(1)));
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.BREACH_MEASURES_REQUESTED, other);
            JsonObject notHeld = replies(topic, other.requestId()).get(0).json();
            assertThat(notHeld.getString("outcome")).isEqualTo("NOT_HELD");
            assertThat(notHeld.getValue("counts")).isNull();
            given().auth().oauth2(p.access()).when().get("/v1/accounts/{id}", p.id()).then().statusCode(200);

            // held, but no measure this service takes by itself: not claimed done, and nothing changed
            long liveBefore = Db.count(db, "select count(*) from login_session where revoked_at is null");
            Topics.send(EventTypes.BREACH_MEASURES_REQUESTED, contactOnly);
            JsonObject failed = replies(topic, contactOnly.requestId()).get(0).json();
            assertThat(failed.getString("outcome")).isEqualTo("FAILED");
            assertThat(failed.getString("failureCode")).isEqualTo("NO_AUTOMATIC_MEASURE");
            assertThat(Db.count(db, "select count(*) from login_session where revoked_at is null")).isEqualTo(liveBefore);
            given().auth().oauth2(p.access()).when().get("/v1/accounts/{id}", p.id()).then().statusCode(200);

            long live = Db.count(db, "select count(*) from login_session where revoked_at is null");
            long toReset = Db.count(db, "select count(*) from account where status = 'ACTIVE' and not password_reset_required");
            assertThat(live).isPositive();
            Topics.send(EventTypes.BREACH_MEASURES_REQUESTED, cmd);
            JsonObject reply = replies(topic, cmd.requestId()).get(0).json();
            assertThat(reply.getString("command")).isEqualTo("BreachMeasuresRequested");
            assertThat(reply.getString("outcome")).isEqualTo("APPLIED");
            assertThat(reply.containsKey("subjectId") && reply.getValue("subjectId") != null).isFalse();
            // the counts are the state changed: every live session revoked, every active account now to reset
            assertThat(reply.getJsonObject("counts").getMap()).containsOnly(
                    Map.entry("session", (int) live), Map.entry("password-reset", (int) toReset));
            assertThat(Db.count(db, "select count(*) from login_session where revoked_at is null")).isZero();
            assertThat(Db.count(db, "select count(*) from account where status = 'ACTIVE' and not password_reset_required"))
                    .isZero();
            assertThat(Db.count(db, "select count(*) from login_session where revoke_reason = 'BREACH_MEASURES'"))
                    .isGreaterThanOrEqualTo(live);
        }
        given().auth().oauth2(p.access()).when().get("/v1/accounts/{id}", p.id()).then().statusCode(401);
        api.login(p.mobile(), p.password()).statusCode(403);
    }
}
