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
        return minor("kid", LocalDate.now().minusYears(10));
    }

    /** A registered, mobile-verified minor of that birth date, waiting for a guardian. */
    Child minor(String tag, LocalDate birthDate) {
        Map<String, Object> body = Api.registration(tag, birthDate);
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
        // a child under 14 (policy 7.4.2): its information beyond registration comes from the guardian, not from it
        Api.as(c.person()).body(Map.of("nickname", "kiddo")).when().put("/v1/accounts/{id}/profile", c.person().id())
                .then().statusCode(403).contentType(PROBLEM);
        assertThat(Db.count(db, "select count(*) from profile where subject_id = ?", c.person().id())).isZero();
        Api.as(adult).body(Map.of("nickname", "kiddo")).when().put("/v1/accounts/{id}/profile", c.person().id())
                .then().statusCode(200).body("nickname", equalTo("kiddo"));

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

    /**
     * Policy 7.1: every minor, not only a child, needs a guardian's consent. A 16-year-old is a minor (not a child) in the
     * database and on {@code AccountRegistered}, waits in PENDING_GUARDIAN with only registration data processed, is
     * erased if no guardian consents in time, and is ACTIVE once one does; then, unlike a child, it fills in its own
     * profile and payment data. A 17-year-old cannot be anyone's guardian; an 18-year-old is an adult.
     */
    @Test
    void everyMinorUnder18WaitsForAGuardianAndOnlyChildrenUnder14KeepTheChildRules() {
        Child teen;
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("account.events")) {
            teen = minor("teen", LocalDate.now().minusYears(16).minusDays(3));
            String id = teen.person().id().toString();
            var seen = Topics.read(topic, schemas, Topics.has(EventTypes.ACCOUNT_REGISTERED, id, 1), Duration.ofSeconds(15));
            assertThat(seen).filteredOn(e -> e.is(EventTypes.ACCOUNT_REGISTERED) && id.equals(e.key()))
                    .singleElement().satisfies(e -> assertThat(e.json().getBoolean("minor")).isTrue());
        }
        assertThat(Db.string(db, "select concat(status, ' ', minor, ' ', child, ' ', erase_after is not null) from account "
                + "where id = ?", teen.person().id())).isEqualTo("PENDING_GUARDIAN t f t");
        Api.as(teen.person()).body(Map.of("nickname", "teen")).when().put("/v1/accounts/{id}/profile", teen.person().id())
                .then().statusCode(409).contentType(PROBLEM);

        // a 17-year-old is no guardian; an adult is
        Api.Person seventeen = person("seventeen", LocalDate.now().minusYears(17).minusDays(3));
        Api.as(seventeen).body(Map.of("linkCode", teen.linkCode(), "consent", true))
                .when().post("/v1/accounts/{id}/guardian", teen.person().id()).then().statusCode(403);
        Api.Person parent = api.adult("teenparent");
        Api.as(parent).body(Map.of("linkCode", teen.linkCode(), "consent", true))
                .when().post("/v1/accounts/{id}/guardian", teen.person().id()).then().statusCode(201)
                .body("status", equalTo("ACTIVE"));
        assertThat(Db.string(db, "select concat(status, ' ', guardian_id, ' ', erase_after is null) from account where id = ?",
                teen.person().id())).isEqualTo("ACTIVE " + parent.id() + " t");
        // not a child: with the guardian's consent the teen gives its own optional information
        Api.as(teen.person()).body(Map.of("nickname", "teen")).when().put("/v1/accounts/{id}/profile", teen.person().id())
                .then().statusCode(200).body("nickname", equalTo("teen"));
        Api.as(teen.person()).body(payment()).when()
                .put("/v1/accounts/{id}/payment-profile", teen.person().id()).then().statusCode(200);
        Api.as(parent).when().get("/v1/accounts/{id}", teen.person().id()).then().statusCode(200)
                .body("minor", equalTo(true)).body("guardianId", equalTo(parent.id().toString()));

        // an unconsented 15-year-old is erased like a child
        Child unconsented = minor("teenalone", LocalDate.now().minusYears(15));
        assertThat(guardians.sweep(Instant.now().plus(Duration.ofDays(31)))).isGreaterThanOrEqualTo(1);
        assertThat(Db.count(db, "select count(*) from account where id = ?", unconsented.person().id())).isZero();
        assertThat(keys.shreddedAt(unconsented.person().id())).isPresent();
        assertThat(Db.count(db, "select count(*) from account where id = ?", teen.person().id())).isEqualTo(1);

        // 18 today: an adult, active at once
        Api.Person adult = person("eighteen", LocalDate.now().minusYears(18));
        assertThat(Db.string(db, "select concat(status, ' ', minor, ' ', child) from account where id = ?", adult.id()))
                .isEqualTo("ACTIVE f f");
    }

    /** Policy 7.4.2, the rules only a child under 14 keeps: no optional data at registration, no payment data from it. */
    @Test
    void aChildGivesNoOptionalOrPaymentDataItselfAndItsGuardianFillsItsProfile() {
        Map<String, Object> withCity = Api.registration("kidcity", LocalDate.now().minusYears(13).minusDays(3));
        withCity.put("city", "Hangzhou");
        long accounts = Db.count(db, "select count(*) from account");
        Api.from(Api.newAddress()).body(withCity).when().post("/v1/accounts").then().statusCode(422)
                .contentType(PROBLEM).body("field", equalTo("city"));
        assertThat(Db.count(db, "select count(*) from account")).isEqualTo(accounts);

        Child c = minor("kid13", LocalDate.now().minusYears(13).minusDays(3));
        assertThat(Db.string(db, "select concat(minor, ' ', child) from account where id = ?", c.person().id()))
                .isEqualTo("t t");
        Api.Person parent = api.adult("kidparent");
        Api.as(parent).body(Map.of("linkCode", c.linkCode(), "consent", true))
                .when().post("/v1/accounts/{id}/guardian", c.person().id()).then().statusCode(201);
        Api.as(c.person()).body(payment()).when()
                .put("/v1/accounts/{id}/payment-profile", c.person().id()).then().statusCode(403).contentType(PROBLEM);
        assertThat(Db.count(db, "select count(*) from payment_profile where subject_id = ?", c.person().id())).isZero();
        Api.as(c.person()).body(Map.of("city", "Hangzhou")).when().put("/v1/accounts/{id}/profile", c.person().id())
                .then().statusCode(403).contentType(PROBLEM);
        Api.as(parent).body(Map.of("city", "Hangzhou")).when().put("/v1/accounts/{id}/profile", c.person().id())
                .then().statusCode(200).body("city", equalTo("Hangzhou"));
        assertThat(Db.string(db, "select city from profile where subject_id = ?", c.person().id())).startsWith("p1.");
        // the child still removes what the guardian gave, and reads its own account
        Api.as(c.person()).when().delete("/v1/accounts/{id}/profile/{f}", c.person().id(), "city").then().statusCode(200);
        assertThat(Db.string(db, "select city from profile where subject_id = ?", c.person().id())).isNull();
        Api.as(c.person()).when().get("/v1/accounts/{id}", c.person().id()).then().statusCode(200)
                .body("minor", equalTo(true));
    }

    private static Map<String, Object> payment() {
        return Map.of("method", "ALIPAY", "providerToken", "alipay-agr-" + UUID.randomUUID());
    }

    /** A verified, logged-in account of that birth date (an adult is ACTIVE at once). */
    private Api.Person person(String tag, LocalDate birthDate) {
        return api.person(tag, birthDate, true);
    }
}
