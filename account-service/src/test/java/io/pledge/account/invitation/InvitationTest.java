package io.pledge.account.invitation;

import static io.pledge.account.support.Api.PROBLEM;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.agroal.api.AgroalDataSource;
import io.pledge.account.support.Api;
import io.pledge.kit.testing.Db;
import io.pledge.account.support.Topics;
import io.pledge.events.EventTypes;
import io.pledge.events.rights.ErasureRequested;
import io.pledge.kit.crypto.SubjectKeyRing;
import io.pledge.kit.events.EventSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Policy 2.2.1, an invitee's email used only for that invitation: invitations over HTTP, the notice
 * read back from the real notification.commands topic, the address fetched the way notification-service
 * fetches it (holder token for {@code notification-service} from account-service's real issuer), and
 * the real database and key store read with plain JDBC. The TTL sweep is driven by calling the
 * service bean with a later clock instead of waiting a day.
 */
@QuarkusTest
@Tag("clause-2.2.1")
class InvitationTest {

    @Inject
    AgroalDataSource db;
    @Inject
    EventSchemas schemas;
    @Inject
    SubjectKeyRing keys;
    @Inject
    Invitations invitations;
    @Inject
    Api api;

    static String friend() {
        return "friend-" + UUID.randomUUID().toString().substring(0, 12) + "@example.net";
    }

    private static io.restassured.response.ValidatableResponse invite(Api.Person p, Object body) {
        return Api.as(p).body(body).when().post("/v1/accounts/{id}/invitations", p.id()).then();
    }

    private io.restassured.response.ValidatableResponse secret(String client, Object id) {
        return given().auth().oauth2(api.holderToken(client)).when().get("/internal/v1/notices/{id}/secret", id).then();
    }

    @Test
    void theAddressIsSentOnceThenErasedAndTheNoticeCarriesOnlyTheInvitationId() {
        Api.Person p = api.adult("inviter");
        String email = friend();
        UUID id;
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("notification.commands", "account.events", "access.records")) {
            id = UUID.fromString(invite(p, Map.of("email", email)).statusCode(201).body("status", equalTo("PENDING"))
                    .body("email", nullValue()).extract().path("invitationId"));
            String sealed = Db.string(db, "select email from invitation where id = ?", id);
            assertThat(sealed).startsWith("p1.").doesNotContain(email).doesNotContain("friend-");
            assertThat(Db.columnsContaining(db, email)).isEmpty();
            // a client that is not a secret reader gets nothing and changes nothing
            secret("marketing", id).statusCode(403).contentType(PROBLEM);
            assertThat(Db.string(db, "select status from invitation where id = ?", id)).isEqualTo("PENDING");

            secret("notification-service", id).statusCode(200).body("address", equalTo(email))
                    .body("templateId", equalTo("friend-invitation")).body("channel", equalTo("EMAIL"))
                    .body("code", nullValue()).body("subjectId", equalTo(p.id().toString()));
            List<Topics.Published> seen = Topics.read(topic, schemas,
                    Topics.has(EventTypes.NOTICE_REQUESTED, id.toString(), 1)
                            .and(Topics.has(EventTypes.PERSONAL_DATA_ACCESSED, p.id().toString(), 1)),
                    Duration.ofSeconds(15));
            JsonObject notice = seen.stream().filter(e -> e.is(EventTypes.NOTICE_REQUESTED)
                    && e.body().contains(id.toString())).findFirst().orElseThrow().json();
            assertThat(notice.getString("noticeId")).isEqualTo(id.toString());
            assertThat(notice.getString("kind")).isEqualTo("SERVICE");
            assertThat(notice.getString("templateId")).isEqualTo("friend-invitation");
            assertThat(notice.getJsonArray("channels").getList()).containsExactly("EMAIL");
            assertThat(notice.getJsonObject("params").getMap()).containsOnlyKeys("invitationId");
            JsonObject read = seen.stream().filter(e -> e.is(EventTypes.PERSONAL_DATA_ACCESSED)
                    && e.body().contains(p.id().toString())).findFirst().orElseThrow().json();
            assertThat(read.getString("accessorId")).isEqualTo("notification-service");
            assertThat(read.getString("purposeId")).isEqualTo("friend-invitation");
            assertThat(read.getJsonArray("fields").getList()).containsExactly("inviteeEmail");
            assertThat(seen).noneSatisfy(e -> assertThat(e.body() + e.key() + e.headers()).contains(email));
        }
        // sent: the address is gone, and its key with it (backups of the row are unreadable)
        assertThat(Db.string(db, "select email from invitation where id = ?", id)).isNull();
        assertThat(Db.string(db, "select status from invitation where id = ?", id)).isEqualTo("SENT");
        assertThat(keys.shreddedAt(id)).isPresent();
        assertThat(Db.count(db, "select count(*) from pledge_keys.subject_key where subject_id = ?", id)).isZero();
        secret("notification-service", id).statusCode(404).contentType(PROBLEM);
        Api.as(p).when().get("/v1/accounts/{id}/invitations", p.id()).then().statusCode(200)
                .body("[0].status", equalTo("SENT")).body("[0].sentAt", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void theInviteeNeverBecomesAContactOrAnAudienceMember() {
        Api.Person p = api.adult("invnomk");
        String email = friend();
        UUID id = UUID.fromString(invite(p, Map.of("email", email)).statusCode(201).extract().path("invitationId"));
        String holder = api.holderToken("notification-service");
        String lookup = given().auth().oauth2(holder).contentType(ContentType.JSON)
                .body(Map.of("purposeId", "service-notice", "subjectIds", List.of(p.id(), id))).when()
                .post("/internal/v1/contacts").then().statusCode(200)
                .body("results[0].email", equalTo(p.email())).body("results[1].outcome", equalTo("NOT_FOUND"))
                .extract().asString();
        assertThat(lookup).doesNotContain(email);
        given().auth().oauth2(api.holderToken("marketing")).contentType(ContentType.JSON)
                .body(Map.of("purposeId", "marketing-email", "subjectIds", List.of(p.id(), id))).when()
                .post("/internal/v1/contacts").then().statusCode(200).body("results[1].outcome", equalTo("NOT_FOUND"))
                .body(org.hamcrest.Matchers.not(containsString(email)));
        // it is not an account: it cannot log in or receive codes, and nothing else holds it
        assertThat(Db.count(db, "select count(*) from account where id = ?", id)).isZero();
        Api.from(Api.newAddress()).body(Map.of("purpose", "LOGIN", "login", email)).when().post("/v1/verifications")
                .then().statusCode(202);
        assertThat(Db.count(db, "select count(*) from verification_code where created_at > now() - interval '1 minute' "
                + "and subject_id = ?", id)).isZero();
        // the inviter's export lists the invitation, never the address
        String export = Api.as(p).when().get("/v1/accounts/{id}/export", p.id()).then().statusCode(200)
                .body("invitations", hasSize(1)).extract().asString();
        assertThat(export).doesNotContain(email);
    }

    @Test
    void anUnsentAddressIsErasedAtItsTtlOrWhenWithdrawn() {
        Api.Person p = api.adult("invttl");
        UUID stale = UUID.fromString(invite(p, Map.of("email", friend())).statusCode(201).extract().path("invitationId"));
        UUID withdrawn = UUID.fromString(invite(p, Map.of("email", friend())).statusCode(201).extract().path("invitationId"));
        Api.Person other = api.adult("invthief");
        Api.as(other).when().delete("/v1/accounts/{id}/invitations/{i}", p.id(), withdrawn).then().statusCode(403);
        Api.as(other).when().delete("/v1/accounts/{id}/invitations/{i}", other.id(), withdrawn).then().statusCode(404);
        Api.as(p).when().delete("/v1/accounts/{id}/invitations/{i}", p.id(), withdrawn).then().statusCode(200)
                .body("status", equalTo("WITHDRAWN"));
        Api.as(p).when().delete("/v1/accounts/{id}/invitations/{i}", p.id(), withdrawn).then().statusCode(409);
        assertThat(keys.shreddedAt(withdrawn)).isPresent();
        secret("notification-service", withdrawn).statusCode(404);

        assertThat(invitations.expire(Instant.now().plus(Duration.ofHours(25)))).isGreaterThanOrEqualTo(1);
        assertThat(Db.string(db, "select concat(status, '|', coalesce(email, 'none')) from invitation where id = ?", stale))
                .isEqualTo("EXPIRED|none");
        assertThat(keys.shreddedAt(stale)).isPresent();
        secret("notification-service", stale).statusCode(404);
    }

    @Test
    void invitationsAreLimitedPerInviterAndPerInvitee() {
        Api.Person p = api.adult("invrate");
        String same = friend();
        for (int i = 0; i < 3; i++) {
            invite(p, Map.of("email", same)).statusCode(201);
        }
        invite(p, Map.of("email", same)).statusCode(429).contentType(PROBLEM)
                .body("detail", containsString("email address"));
        for (int i = 0; i < 7; i++) {
            invite(p, Map.of("email", friend())).statusCode(201);
        }
        invite(p, Map.of("email", friend())).statusCode(429).body("detail", containsString("invitations"));
        assertThat(Db.count(db, "select count(*) from invitation where inviter_id = ?", p.id())).isEqualTo(10);
    }

    @Test
    void badInputAnotherSubjectsIdAndRepeatsChangeNothing() {
        Api.Person p = api.adult("invbad");
        Api.Person other = api.adult("invbad2");
        invite(p, "{\"email\": ").statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("urn:pledge:problem:malformed-json"));
        invite(p, Map.of()).statusCode(400).body("field", equalTo("email"));
        invite(p, Map.of("email", "not-an-email")).statusCode(400).body("field", equalTo("email"));
        invite(p, Map.of("email", friend(), "marketingOptIn", true)).statusCode(400).body("field", equalTo("marketingOptIn"));
        invite(p, Map.of("email", "x".repeat(321))).statusCode(400);
        invite(p, Map.of("email", "x".repeat(300 * 1024))).statusCode(413);
        invite(p, Map.of("email", p.email().toUpperCase())).statusCode(422).body("field", equalTo("email"));
        Api.as(other).body(Map.of("email", friend())).when().post("/v1/accounts/{id}/invitations", p.id()).then()
                .statusCode(403).contentType(PROBLEM);
        Api.as(other).when().get("/v1/accounts/{id}/invitations", p.id()).then().statusCode(403);
        given().contentType(ContentType.JSON).body(Map.of("email", friend())).when()
                .post("/v1/accounts/{id}/invitations", p.id()).then().statusCode(401);
        assertThat(Db.count(db, "select count(*) from invitation where inviter_id in (?, ?)", p.id(), other.id())).isZero();
        // the same Idempotency-Key twice: one invitation, one answer
        String key = "inv-" + UUID.randomUUID();
        String first = Api.as(p).header("Idempotency-Key", key).body(Map.of("email", friend())).when()
                .post("/v1/accounts/{id}/invitations", p.id()).then().statusCode(201).extract().path("invitationId");
        String again = Api.as(p).header("Idempotency-Key", key).body(Map.of("email", friend())).when()
                .post("/v1/accounts/{id}/invitations", p.id()).then().statusCode(201).extract().path("invitationId");
        assertThat(again).isEqualTo(first);
        assertThat(Db.count(db, "select count(*) from invitation where inviter_id = ?", p.id())).isEqualTo(1);
    }

    @Test
    void theInvitersErasureRemovesInvitationsAndShredsPendingAddresses() throws Exception {
        Api.Person p = api.adult("inverase");
        UUID id = UUID.fromString(invite(p, Map.of("email", friend())).statusCode(201).extract().path("invitationId"));
        ErasureRequested cmd = new ErasureRequested(UUID.randomUUID(), p.id(), "6.3.4", List.of("account"),
                List.of("account-service"), Instant.now(), Instant.now().plus(Duration.ofDays(30)));
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.ERASURE_REQUESTED, cmd);
            JsonObject reply = Topics.read(topic, schemas, Topics.has(EventTypes.HOLDER_REPLIED, cmd.requestId().toString(), 1),
                    Duration.ofSeconds(30)).stream().filter(e -> e.body().contains(cmd.requestId().toString()))
                    .findFirst().orElseThrow().json();
            assertThat(reply.getJsonObject("counts").getInteger("invitation")).isEqualTo(1);
        }
        assertThat(Db.count(db, "select count(*) from invitation where id = ?", id)).isZero();
        assertThat(keys.shreddedAt(id)).isPresent();
        secret("notification-service", id).statusCode(404);
    }
}
