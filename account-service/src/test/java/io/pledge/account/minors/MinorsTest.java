package io.pledge.account.minors;

import static io.pledge.account.support.Api.PROBLEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.pledge.account.support.Api;
import io.pledge.kit.testing.Db;
import io.pledge.account.support.Topics;
import io.pledge.events.EventTypes;
import io.pledge.kit.crypto.SubjectKeyRing;
import io.pledge.kit.events.EventSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Minors (policy 7) on the real database and broker; the sweep is called with a later clock. */
@QuarkusTest
@Tag("clause-7")
class MinorsTest {

    @Inject
    AgroalDataSource db;
    @Inject
    EventSchemas schemas;
    @Inject
    GuardianService guardians;
    @Inject
    SubjectKeyRing keys;

    @Inject
    Api api;

    /** A registered, mobile-verified child: id, link code and tokens. */
    record Child(Api.Person person, String linkCode) {
    }

    Child child() {
        Map<String, Object> body = Api.registration("kid", LocalDate.now().minusYears(10));
        JsonPath reg = api.register(body, Api.newAddress());
        assertThat(reg.getBoolean("minor")).isTrue();
        UUID notice = Api.verificationId(reg, "MOBILE");
        JsonPath done = api.confirm(notice, "REGISTRATION", api.code(notice), null).statusCode(200)
                .body("status", equalTo("PENDING_GUARDIAN")).extract().jsonPath();
        JsonPath t = api.login((String) body.get("mobile"), (String) body.get("password")).statusCode(201).extract().jsonPath();
        return new Child(new Api.Person(UUID.fromString(reg.getString("subjectId")), (String) body.get("userName"),
                (String) body.get("email"), (String) body.get("mobile"), (String) body.get("password"),
                t.getString("accessToken"), t.getString("refreshToken")), done.getString("guardianLinkCode"));
    }

    @Test
    void aChildIsHeldUntilAnAdultLinksAsGuardianAndConsents() {
        Child c = child();
        // only registration data is processed meanwhile
        Api.as(c.person()).body(Map.of("nickname", "kiddo")).when().put("/v1/accounts/{id}/profile", c.person().id())
                .then().statusCode(409).contentType(PROBLEM);
        Api.Person adult = api.adult("parent");
        Api.as(adult).body(Map.of("linkCode", "WRONGCODE1", "consent", true))
                .when().post("/v1/accounts/{id}/guardian", c.person().id()).then().statusCode(422);
        Api.as(adult).body(Map.of("linkCode", c.linkCode(), "consent", false))
                .when().post("/v1/accounts/{id}/guardian", c.person().id()).then().statusCode(422);
        // another child cannot be a guardian
        Child other = child();
        Api.as(other.person()).body(Map.of("linkCode", c.linkCode(), "consent", true))
                .when().post("/v1/accounts/{id}/guardian", c.person().id()).then().statusCode(403);
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("account.events")) {
            Api.as(adult).body(Map.of("linkCode", c.linkCode(), "consent", true))
                    .when().post("/v1/accounts/{id}/guardian", c.person().id()).then().statusCode(201)
                    .body("status", equalTo("ACTIVE"));
            var seen = Topics.read(topic, schemas, Topics.has(EventTypes.GUARDIAN_LINKED, c.person().id().toString(), 1),
                    Duration.ofSeconds(15));
            assertThat(seen).filteredOn(e -> e.is(EventTypes.GUARDIAN_LINKED) && c.person().id().toString().equals(e.key()))
                    .singleElement().satisfies(e -> assertThat(e.json().getString("guardianId"))
                            .isEqualTo(adult.id().toString()));
        }
        // the link code is one-time
        Api.as(adult).body(Map.of("linkCode", c.linkCode(), "consent", true))
                .when().post("/v1/accounts/{id}/guardian", c.person().id()).then().statusCode(422);
        Api.as(c.person()).body(Map.of("nickname", "kiddo")).when().put("/v1/accounts/{id}/profile", c.person().id())
                .then().statusCode(200);

        // the guardian reads, corrects and deletes the ward's data
        Api.as(adult).when().get("/v1/accounts/{id}", c.person().id()).then().statusCode(200)
                .body("email", equalTo(c.person().email())).body("guardianId", equalTo(adult.id().toString()));
        Api.as(adult).body(Map.of("userName", "ward" + System.nanoTime() % 100000))
                .when().put("/v1/accounts/{id}/user-name", c.person().id()).then().statusCode(204);
        Api.as(adult).body(Map.of("city", "Hangzhou")).when().put("/v1/accounts/{id}/profile", c.person().id())
                .then().statusCode(200).body("city", equalTo("Hangzhou"));
        // the ward cannot act on the guardian
        Api.as(c.person()).when().get("/v1/accounts/{id}", adult.id()).then().statusCode(403);
        Api.as(adult).when().delete("/v1/accounts/{id}", c.person().id()).then().statusCode(204);
        assertThat(Db.count(db, "select count(*) from account where id = ?", c.person().id())).isZero();
        assertThat(keys.shreddedAt(c.person().id())).isPresent();
    }

    @Test
    void anUnconsentedChildIsErasedAfterTheConfiguredDays() {
        Instant before = Instant.now().minusSeconds(1);
        Child c = child();
        Child linkedLater = child();
        Instant after = Instant.now().plusSeconds(1);
        // held for pledge.account.minors.erase-after-days (30) from the mobile verification, no longer
        long eraseAfter = Db.count(db, "select extract(epoch from erase_after)::bigint from account where id = ?",
                c.person().id());
        assertThat(eraseAfter).isBetween(before.plus(Duration.ofDays(30)).getEpochSecond(),
                after.plus(Duration.ofDays(30)).getEpochSecond());
        List<Topics.Published> seen;
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("account.events")) {
            assertThat(guardians.sweep(Instant.now().plus(Duration.ofDays(29)))).isZero();
            Api.Person adult = api.adult("late");
            Api.as(adult).body(Map.of("linkCode", linkedLater.linkCode(), "consent", true))
                    .when().post("/v1/accounts/{id}/guardian", linkedLater.person().id()).then().statusCode(201);
            assertThat(Db.count(db, "select count(*) from account where id = ? and erase_after is null",
                    linkedLater.person().id())).isEqualTo(1);
            assertThat(guardians.sweep(Instant.now().plus(Duration.ofDays(31)))).isGreaterThanOrEqualTo(1);
            String child = c.person().id().toString();
            String linked = linkedLater.person().id().toString();
            seen = Topics.read(topic, schemas, l -> Topics.has(EventTypes.ACCOUNT_CANCELLED, child, 1).test(l)
                    && Topics.has(EventTypes.GUARDIAN_LINKED, linked, 1).test(l), Duration.ofSeconds(15));
            // what was read: the unconsented child's account is cancelled once, the linked one is not
            assertThat(seen).filteredOn(e -> e.is(EventTypes.ACCOUNT_CANCELLED) && child.equals(e.key()))
                    .singleElement().satisfies(e -> assertThat(e.json().getString("subjectId")).isEqualTo(child));
            assertThat(seen).filteredOn(e -> e.is(EventTypes.GUARDIAN_LINKED) && linked.equals(e.key()))
                    .singleElement().satisfies(e -> assertThat(e.json().getString("guardianId"))
                            .isEqualTo(adult.id().toString()));
            assertThat(seen).noneMatch(e -> e.is(EventTypes.ACCOUNT_CANCELLED) && linked.equals(e.key()));
        }
        assertThat(Db.count(db, "select count(*) from account where id = ?", c.person().id())).isZero();
        assertThat(Db.count(db, "select count(*) from verification_code where subject_id = ?", c.person().id())).isZero();
        assertThat(keys.shreddedAt(c.person().id())).isPresent();
        assertThat(Db.count(db, "select count(*) from account where id = ?", linkedLater.person().id())).isEqualTo(1);
        assertThat(keys.shreddedAt(linkedLater.person().id())).isEmpty();
        api.login(c.person().mobile(), c.person().password()).statusCode(401);
        api.login(linkedLater.person().mobile(), linkedLater.person().password()).statusCode(201);
    }
}
