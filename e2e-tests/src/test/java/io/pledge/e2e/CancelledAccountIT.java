package io.pledge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Policy 5.4 with 6.5 across the packaged services: a subject cancels their account in account-service; the
 * cancellation becomes an erasure sent to every holder by rights-request-service; while what the law requires is
 * kept, consent-service answers every holder's marketing check with ACCOUNT_CANCELLED and refuses new marketing
 * consent, and it still does after the erasure has completed.
 */
@ExtendWith(PledgeSystem.class)
class CancelledAccountIT {

    @Test
    @Tag("clause-5.4")
    @Tag("clause-6.5")
    void marketingStaysOffForACancelledAccountBeforeAndAfterItsErasure() throws Exception {
        Subjects.Person p = Subjects.register("cancel");
        for (String purpose : List.of("marketing-email", "profiling")) {
            given().baseUri(PledgeSystem.CONSENT.url()).auth().oauth2(p.access()).contentType(ContentType.JSON)
                    .body(Map.of("purposeId", purpose, "decision", "GIVEN", "channel", "WEB"))
                    .when().post("/v1/consents/{s}/records", p.id()).then().statusCode(201);
        }
        String holder = Clients.service("notification-service", "consent-service", List.of("consent:check"));
        assertThat(check(holder, p.id(), "marketing-email").getString("reason")).isEqualTo("GRANTED");

        try (KafkaConsumer<String, byte[]> events = Topics.tail("rights-request.events")) {
            given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(p.access())
                    .when().post("/v1/accounts/{id}/cancellation", p.id()).then().statusCode(201);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                    "ACCOUNT_CANCELLED".equals(check(holder, p.id(), "marketing-email").getString("reason")));
            assertThat(check(holder, p.id(), "marketing-email").getBoolean("permitted")).isFalse();

            // the erasure the cancellation started reaches every holder, consent-service included; it completes,
            // and marketing stays off after it
            List<Topics.Published> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                seen.addAll(Topics.drain(events, Duration.ofSeconds(1)));
                return seen.stream().anyMatch(e -> e.is("RightsRequestCompleted")
                        && p.id().toString().equals(e.body().path("subjectId").asText()));
            });
            JsonPath after = check(holder, p.id(), "marketing-email");
            assertThat(after.getBoolean("permitted")).isFalse();
            assertThat(after.getString("reason")).isEqualTo("ACCOUNT_CANCELLED");
        }
    }

    private static JsonPath check(String holderToken, UUID subject, String purpose) {
        return given().baseUri(PledgeSystem.CONSENT.url()).auth().oauth2(holderToken).contentType(ContentType.JSON)
                .body(Map.of("subjectId", subject.toString(), "purposeId", purpose))
                .when().post("/v1/checks").then().statusCode(200).extract().jsonPath();
    }
}
