package io.pledge.account.registration;

import static io.pledge.account.support.Api.PROBLEM;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.pledge.account.support.Api;
import io.pledge.account.support.Topics;
import io.pledge.events.EventTypes;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.testing.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * A subject's preferred language for notices (zh-CN or en) against the real database and broker: taken at
 * registration and with the profile, shown in the subject's own view, answered by the holder contact lookup
 * that notification-service calls, and on no event. Nothing is faked.
 */
@QuarkusTest
class LocaleTest {

    @Inject
    AgroalDataSource db;
    @Inject
    EventSchemas schemas;
    @Inject
    Api api;

    private String lookedUpLocale(UUID subject) {
        return given().auth().oauth2(api.holderToken("notification-service")).contentType(ContentType.JSON)
                .body(Map.of("purposeId", "service-notice", "subjectIds", List.of(subject)))
                .when().post("/internal/v1/contacts").then().statusCode(200)
                .body("results[0].outcome", equalTo("OK")).extract().path("results[0].locale");
    }

    @Test
    void englishAtRegistrationIsInTheProfileViewAndTheContactLookup() {
        Map<String, Object> body = Api.registration("en", LocalDate.of(1990, 3, 3));
        body.put("locale", "en");
        Api.Person p = api.person(body, true);

        Api.as(p).when().get("/v1/accounts/{id}", p.id()).then().statusCode(200)
                .body("profile.locale", equalTo("en"));
        assertThat(lookedUpLocale(p.id())).isEqualTo("en");
        assertThat(Db.string(db, "select locale from account where id = ?", p.id())).isEqualTo("en");
    }

    @Test
    void aVerificationCodeIsWrittenInTheSubjectsLanguage() {
        Map<String, Object> body = Api.registration("encode", LocalDate.of(1991, 4, 4));
        body.put("locale", "en");
        UUID verification = Api.verificationId(api.register(body, Api.newAddress()), "EMAIL");
        given().auth().oauth2(api.holderToken("notification-service"))
                .when().get("/internal/v1/notices/{id}/secret", verification)
                .then().statusCode(200).body("locale", equalTo("en"));
    }

    @Test
    void withoutALocaleItIsChinese() {
        Api.Person p = api.adult("zh");
        Api.as(p).when().get("/v1/accounts/{id}", p.id()).then().statusCode(200)
                .body("profile.locale", equalTo("zh-CN"));
        assertThat(lookedUpLocale(p.id())).isEqualTo("zh-CN");
    }

    @Test
    void anyOtherLocaleAtRegistrationIsA400ProblemAndCreatesNothing() {
        long accounts = Db.count(db, "select count(*) from account");
        for (String bad : List.of("fr", "EN", "zh_CN", "zh", "", "en-US", "zh-CN|en")) {
            Map<String, Object> body = Api.registration("badlocale", LocalDate.of(1990, 1, 1));
            body.put("locale", bad);
            Api.from(Api.newAddress()).body(body).when().post("/v1/accounts").then()
                    .statusCode(400).contentType(PROBLEM)
                    .body("type", equalTo("urn:pledge:problem:invalid-input"))
                    .body("field", equalTo("locale"));
        }
        Map<String, Object> number = Api.registration("badlocale", LocalDate.of(1990, 1, 1));
        number.put("locale", List.of("en"));
        Api.from(Api.newAddress()).body(number).when().post("/v1/accounts").then()
                .statusCode(400).contentType(PROBLEM).body("field", equalTo("locale"));
        assertThat(Db.count(db, "select count(*) from account")).isEqualTo(accounts);
    }

    @Test
    void theProfileUpdateChangesItKeepsItWhenLeftOutAndRefusesAnyOther() {
        Api.Person p = api.adult("switch");
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("account.events")) {
            // a locale alone: changed, nothing else
            Api.as(p).body(Map.of("locale", "en")).when().put("/v1/accounts/{id}/profile", p.id()).then()
                    .statusCode(200).body("locale", equalTo("en")).body("nickname", equalTo(null));
            assertThat(lookedUpLocale(p.id())).isEqualTo("en");
            assertThat(Db.count(db, "select count(*) from profile where subject_id = ?", p.id())).isZero();

            // left out of a replacement: kept
            Api.as(p).body(Map.of("nickname", "Ming")).when().put("/v1/accounts/{id}/profile", p.id()).then()
                    .statusCode(200).body("locale", equalTo("en")).body("nickname", equalTo("Ming"));
            Api.as(p).when().delete("/v1/accounts/{id}/profile/nickname", p.id()).then().statusCode(200)
                    .body("locale", equalTo("en"));

            // anything else: 400 naming the field, and neither the locale nor the profile changes
            for (String bad : List.of("de", "zh-cn", "en ")) {
                Api.as(p).body(Map.of("nickname", "Other", "locale", bad)).when().put("/v1/accounts/{id}/profile", p.id())
                        .then().statusCode(400).contentType(PROBLEM).body("field", equalTo("locale"));
            }
            Api.as(p).when().get("/v1/accounts/{id}", p.id()).then().statusCode(200)
                    .body("profile.locale", equalTo("en")).body("profile.nickname", equalTo(null));
            assertThat(Db.count(db, "select count(*) from profile where subject_id = ? and nickname is not null", p.id()))
                    .isZero();

            Api.as(p).body(Map.of("locale", "zh-CN")).when().put("/v1/accounts/{id}/profile", p.id()).then()
                    .statusCode(200).body("locale", equalTo("zh-CN"));
            assertThat(lookedUpLocale(p.id())).isEqualTo("zh-CN");

            // the nickname's ProfileChanged events name the nickname only; the locale is on no event
            List<Topics.Published> seen = Topics.read(topic, schemas,
                    Topics.has(EventTypes.PROFILE_CHANGED, p.id().toString(), 2), Duration.ofSeconds(15));
            assertThat(seen).filteredOn(x -> x.body().contains(p.id().toString()))
                    .allSatisfy(x -> assertThat(x.body()).doesNotContain("locale").doesNotContain("\"en\""));
            assertThat(seen).filteredOn(x -> x.is(EventTypes.PROFILE_CHANGED) && x.body().contains(p.id().toString()))
                    .hasSize(2);
        }
    }
}
