package io.pledge.account.holder;

import static io.pledge.account.support.Api.PROBLEM;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.pledge.account.support.Api;
import io.pledge.account.support.Topics;
import io.pledge.events.EventTypes;
import io.pledge.kit.events.EventSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Holder access to contact data on the real database and broker. consent-service is not started by
 * this module's tests: pledge.consent.url points at a closed port, so non-necessary purposes must be
 * refused (fail closed); the permitted path is for the e2e tests.
 */
@QuarkusTest
@Tag("clause-2.1.1.1")
class ContactLookupTest {

    @Inject
    EventSchemas schemas;

    @Inject
    Api api;

    private io.restassured.response.ValidatableResponse lookup(String token, Object body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post("/internal/v1/contacts").then();
    }

    @Test
    void aNecessaryPurposeAnswersSingleAndBatchAndAuditsEveryRead() {
        Api.Person a = api.adult("ca");
        Api.Person b = api.adult("cb");
        String holder = api.holderToken("notification-service");
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("account.events", "access.records")) {
            lookup(holder, Map.of("purposeId", "service-notice", "subjectIds", List.of(a.id()))).statusCode(200)
                    .body("results[0].email", equalTo(a.email())).body("results[0].mobile", equalTo(a.mobile()));
            List<Object> ids = new ArrayList<>(List.of(a.id(), b.id()));
            for (int i = ids.size(); i < 1000; i++) {
                ids.add(UUID.randomUUID());
            }
            JsonPath batch = lookup(holder, Map.of("purposeId", "account-security", "subjectIds", ids,
                    "fields", List.of("email"))).statusCode(200).extract().jsonPath();
            assertThat(batch.getList("results")).hasSize(1000);
            assertThat(batch.getString("results[1].email")).isEqualTo(b.email());
            assertThat(batch.getString("results[1].mobile")).isNull();
            assertThat(batch.getString("results[2].outcome")).isEqualTo("NOT_FOUND");
            List<Topics.Published> seen = Topics.read(topic, schemas,
                    Topics.has(EventTypes.PERSONAL_DATA_ACCESSED, b.id().toString(), 1)
                            .and(Topics.has(EventTypes.PERSONAL_DATA_ACCESSED, a.id().toString(), 2)),
                    Duration.ofSeconds(15));
            Topics.Published e = seen.stream().filter(p -> p.is(EventTypes.PERSONAL_DATA_ACCESSED)
                    && p.body().contains(b.id().toString())).findFirst().orElseThrow();
            assertThat(e.json().getString("accessorId")).isEqualTo("notification-service");
            assertThat(e.json().getString("accessorRole")).isEqualTo("HOLDER");
            assertThat(e.json().getString("purposeId")).isEqualTo("account-security");
            assertThat(e.json().getJsonArray("fields").getList()).containsExactly("email");
            assertThat(e.body()).doesNotContain(b.email());
        }
    }

    @Test
    void aPurposeNeedingConsentIsRefusedWhenConsentServiceCannotSayYes() {
        Api.Person a = api.adult("cm");
        lookup(api.holderToken("marketing"), Map.of("purposeId", "marketing-email", "subjectIds", List.of(a.id())))
                .statusCode(200).body("results[0].outcome", equalTo("NOT_PERMITTED"))
                .body("results[0].email", equalTo(null));
    }

    @Test
    void lookupNeedsAHolderAPurposeAndAtMostAThousandIds() {
        Api.Person a = api.adult("cx");
        lookup(a.access(), Map.of("purposeId", "service-notice", "subjectIds", List.of(a.id()))).statusCode(403)
                .contentType(PROBLEM);
        String holder = api.holderToken("notification-service");
        lookup(holder, Map.of("subjectIds", List.of(a.id()))).statusCode(400).body("field", equalTo("purposeId"));
        lookup(holder, Map.of("purposeId", "Bad Purpose!", "subjectIds", List.of(a.id()))).statusCode(400);
        List<UUID> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(UUID.randomUUID());
        }
        lookup(holder, Map.of("purposeId", "service-notice", "subjectIds", tooMany)).statusCode(400)
                .contentType(PROBLEM).body("field", equalTo("subjectIds"));
        lookup(holder, Map.of("purposeId", "service-notice", "subjectIds", List.of("not-a-uuid"))).statusCode(400);
        lookup(holder, Map.of("purposeId", "service-notice", "subjectIds", List.of())).statusCode(400);
        lookup(holder, Map.of("purposeId", "service-notice", "subjectIds", List.of(a.id()), "fields", List.of("password")))
                .statusCode(400);
        given().auth().oauth2(holder).contentType(ContentType.JSON).body("{\"purposeId\":").when()
                .post("/internal/v1/contacts").then().statusCode(400).body("type", equalTo("urn:pledge:problem:malformed-json"));
    }
}
