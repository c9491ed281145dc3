package io.pledge.account.verification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.pledge.account.support.Api;
import io.pledge.events.EventTypes;
import io.pledge.account.support.Topics;
import io.pledge.kit.events.EventSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Identity verification before a rights request (policy 6.2, 10.2): rights-request-service asks for a
 * code to the subject's verified contact, the code travels like every code (notice id on Kafka, code
 * fetched by notification-service), and the subject's answer is checked here.
 */
@QuarkusTest
class IdentityVerificationTest {

    @Inject
    Api api;
    @Inject
    EventSchemas schemas;

    private String verifier() {
        return api.holderToken("rights-request-service");
    }

    @Test
    @Tag("clause-6.2")
    @Tag("clause-10.2")
    void aCodeToTheVerifiedContactProvesIdentityOnce() throws Exception {
        Api.Person p = api.adult("identity");
        UUID verification;
        try (KafkaConsumer<String, byte[]> commands = Topics.tail("notification.commands")) {
            verification = UUID.fromString(given().auth().oauth2(verifier()).contentType(ContentType.JSON)
                    .body(Map.of("subjectId", p.id(), "reference", "request-1"))
                    .when().post("/internal/v1/identity-verifications")
                    .then().statusCode(202).body("channel", equalTo("MOBILE"))
                    .extract().path("verificationId"));
            List<Topics.Published> notices = Topics.read(commands, schemas,
                    Topics.has(EventTypes.NOTICE_REQUESTED, p.id().toString(), 1), Duration.ofSeconds(30));
            Topics.Published notice = notices.stream().filter(n -> n.body().contains(verification.toString()))
                    .findFirst().orElseThrow();
            assertThat(notice.json().getJsonObject("params").getString("purpose")).isEqualTo("IDENTITY");
            String code = api.code(verification);
            assertThat(notice.body()).doesNotContain(code).doesNotContain(p.mobile());

            answer(verification, p.id(), code.equals("000000") ? "111111" : "000000").statusCode(422)
                    .contentType(Api.PROBLEM).body("field", equalTo("code"));
            Api.Person other = api.adult("identity-other");
            answer(verification, other.id(), code).statusCode(422).contentType(Api.PROBLEM);
            answer(verification, p.id(), code).statusCode(200)
                    .body("verified", equalTo(true)).body("subjectId", equalTo(p.id().toString()))
                    .body("channel", equalTo("MOBILE"));
            answer(verification, p.id(), code).statusCode(422).contentType(Api.PROBLEM);
        }
    }

    @Test
    @Tag("clause-10.2")
    void onlyTheRightsServiceMayVerifyAndOnlyKnownSubjects() {
        Api.Person p = api.adult("identity-callers");
        Map<String, Object> start = Map.of("subjectId", p.id());
        given().auth().oauth2(api.holderToken("notification-service")).contentType(ContentType.JSON).body(start)
                .when().post("/internal/v1/identity-verifications").then().statusCode(403).contentType(Api.PROBLEM);
        Api.as(p).body(start).when().post("/internal/v1/identity-verifications").then().statusCode(403);
        given().contentType(ContentType.JSON).body(start)
                .when().post("/internal/v1/identity-verifications").then().statusCode(401);
        given().auth().oauth2(verifier()).contentType(ContentType.JSON).body(Map.of("subjectId", UUID.randomUUID()))
                .when().post("/internal/v1/identity-verifications").then().statusCode(404).contentType(Api.PROBLEM);
        given().auth().oauth2(verifier()).contentType(ContentType.JSON).body("{\"subjectId\": ")
                .when().post("/internal/v1/identity-verifications").then().statusCode(400).contentType(Api.PROBLEM);
        given().auth().oauth2(verifier()).contentType(ContentType.JSON)
                .body(Map.of("subjectId", p.id(), "channel", "FAX"))
                .when().post("/internal/v1/identity-verifications").then().statusCode(400).contentType(Api.PROBLEM);
    }

    @Test
    @Tag("clause-10.2")
    void aSubjectWithoutAVerifiedEmailCannotBeVerifiedByEmail() {
        Api.Person p = api.person("identity-noemail", java.time.LocalDate.now().minusYears(25), false);
        given().auth().oauth2(verifier()).contentType(ContentType.JSON)
                .body(Map.of("subjectId", p.id(), "channel", "EMAIL"))
                .when().post("/internal/v1/identity-verifications").then().statusCode(409).contentType(Api.PROBLEM)
                .body("field", equalTo("channel"));
    }

    private io.restassured.response.ValidatableResponse answer(UUID verification, UUID subject, String code) {
        return given().auth().oauth2(verifier()).contentType(ContentType.JSON)
                .body(Map.of("subjectId", subject, "code", code))
                .when().post("/internal/v1/identity-verifications/{id}/confirmation", verification).then();
    }
}
