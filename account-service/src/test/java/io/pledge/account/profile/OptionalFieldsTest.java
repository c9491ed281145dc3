package io.pledge.account.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Policy 2.1.1(1): province/city, nickname, address, QQ and website are optional. On the real database and broker: a
 * registration with none of them succeeds and the account works; they are added later, and removed one by one or all
 * at once, a removal deleting the stored (sealed) value from the row, and the account keeps working after each step.
 */
@QuarkusTest
@Tag("clause-2.1.1.1")
class OptionalFieldsTest {

    private static final List<String> COLUMNS = List.of("province", "city", "nickname", "address", "qq", "website");

    @Inject
    AgroalDataSource db;
    @Inject
    EventSchemas schemas;
    @Inject
    Api api;

    @Test
    void registrationWithoutOptionalFieldsWorksAndTheyCanBeAddedAndReallyRemovedLater() throws Exception {
        Api.Person p = api.adult("optional");
        // nothing optional was asked for: no profile row, and the account and its necessary processing work
        assertThat(Db.count(db, "select count(*) from profile where subject_id = ?", p.id())).isZero();
        accountWorks(p);
        Api.as(p).when().get("/v1/accounts/{id}", p.id()).then().statusCode(200)
                .body("profile.nickname", nullValue()).body("profile.qq", nullValue());

        Map<String, Object> all = new LinkedHashMap<>();
        all.put("province", "Zhejiang");
        all.put("city", "Hangzhou");
        all.put("nickname", "lake");
        all.put("address", "1 West Lake Road");
        all.put("qq", "12345678");
        all.put("website", "https://lake.example.com");
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("account.events")) {
            Api.as(p).body(all).when().put("/v1/accounts/{id}/profile", p.id()).then().statusCode(200)
                    .body("qq", equalTo("12345678"));
            for (String c : COLUMNS) {
                // stored sealed under the subject's key, never in plain text
                assertThat(Db.string(db, "select " + c + " from profile where subject_id = ?", p.id()))
                        .as(c).startsWith("p1.").doesNotContain((String) all.get(c));
            }

            // one removed: its column is emptied, the others stay
            Api.as(p).when().delete("/v1/accounts/{id}/profile/{f}", p.id(), "qq").then().statusCode(200)
                    .body("qq", nullValue()).body("nickname", equalTo("lake"));
            assertThat(Db.string(db, "select qq from profile where subject_id = ?", p.id())).isNull();
            assertThat(Db.string(db, "select nickname from profile where subject_id = ?", p.id())).startsWith("p1.");
            accountWorks(p);

            // a replacement without them removes every field left out
            Api.as(p).body(Map.of("nickname", "lake")).when().put("/v1/accounts/{id}/profile", p.id()).then()
                    .statusCode(200).body("address", nullValue()).body("website", nullValue());
            for (String c : List.of("province", "city", "address", "qq", "website")) {
                assertThat(Db.string(db, "select " + c + " from profile where subject_id = ?", p.id())).as(c).isNull();
            }
            Api.as(p).when().delete("/v1/accounts/{id}/profile/{f}", p.id(), "nickname").then().statusCode(200);
            for (String c : COLUMNS) {
                assertThat(Db.string(db, "select " + c + " from profile where subject_id = ?", p.id())).as(c).isNull();
            }

            // the changes are published by field name only, the removals among them
            List<Topics.Published> seen = Topics.read(topic, schemas,
                    Topics.has(EventTypes.PROFILE_CHANGED, p.id().toString(), 4), Duration.ofSeconds(15));
            List<Topics.Published> changes = seen.stream().filter(e -> e.is(EventTypes.PROFILE_CHANGED)
                    && e.body().contains(p.id().toString())).toList();
            assertThat(changes).hasSize(4);
            assertThat(changes.get(0).json().getJsonArray("fieldsAdded").getList()).containsExactlyInAnyOrderElementsOf(COLUMNS);
            assertThat(changes.get(1).json().getJsonArray("fieldsRemoved").getList()).containsExactly("qq");
            assertThat(changes.get(2).json().getJsonArray("fieldsRemoved").getList())
                    .containsExactlyInAnyOrder("province", "city", "address", "website");
            assertThat(changes.get(3).json().getJsonArray("fieldsRemoved").getList()).containsExactly("nickname");
            changes.forEach(e -> assertThat(e.body()).doesNotContain("lake").doesNotContain("12345678"));
        }
        Api.as(p).when().get("/v1/accounts/{id}", p.id()).then().statusCode(200)
                .body("profile.nickname", nullValue()).body("profile.city", nullValue());
        accountWorks(p);

        // an unknown field is a problem and removes nothing
        Api.as(p).body(Map.of("city", "Hangzhou")).when().put("/v1/accounts/{id}/profile", p.id()).then().statusCode(200);
        Api.as(p).when().delete("/v1/accounts/{id}/profile/{f}", p.id(), "password").then().statusCode(404)
                .contentType(Api.PROBLEM);
        assertThat(Db.string(db, "select city from profile where subject_id = ?", p.id())).startsWith("p1.");
    }

    /** Logs in again with the password and gets contact data answered for a necessary purpose. */
    private void accountWorks(Api.Person p) {
        api.login(p.mobile(), p.password()).statusCode(201);
        given().auth().oauth2(api.holderToken("notification-service")).contentType(ContentType.JSON)
                .body(Map.of("purposeId", "service-notice", "subjectIds", List.of(p.id()))).when()
                .post("/internal/v1/contacts").then().statusCode(200).body("results[0].outcome", equalTo("OK"))
                .body("results[0].email", equalTo(p.email()));
    }

}
