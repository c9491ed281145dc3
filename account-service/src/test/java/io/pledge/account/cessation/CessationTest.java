package io.pledge.account.cessation;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.agroal.api.AgroalDataSource;
import io.pledge.account.support.Api;
import io.pledge.account.support.Topics;
import io.pledge.events.EventTypes;
import io.pledge.events.notification.CessationScheduled;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Policy 6.9: once notification-service announces a cessation of operation on notification.events,
 * account-service collects nothing new (registration, new profile fields, real-name data), while a
 * subject can still remove what they gave. The event goes through the real broker.
 */
@QuarkusTest
class CessationTest {

    @Inject
    Api api;
    @Inject
    AgroalDataSource db;

    @AfterEach
    void reopen() throws Exception {
        // the gate is global: reopen it so later test classes can register
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("delete from cessation");
        }
    }

    @Test
    @Tag("clause-6.9")
    void aScheduledCessationStopsNewCollectionButNotRemoval() throws Exception {
        Api.Person p = api.adult("cessation");
        Api.as(p).body(Map.of("nickname", "before")).when().put("/v1/accounts/{id}/profile", p.id())
                .then().statusCode(200);

        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        CessationScheduled cessation = new CessationScheduled(UUID.randomUUID(), now, now.plus(Duration.ofDays(45)));
        String eventId = UUID.randomUUID().toString();
        // this channel reads from "latest" in tests (other modules' tests publish cessations too), so
        // the same event is offered until the consumer has its partitions; the inbox keeps it once
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Topics.send(EventTypes.CESSATION_SCHEDULED, cessation, eventId);
            return Api.from(Api.newAddress()).body(Api.registration("ceased", LocalDate.now().minusYears(30)))
                    .when().post("/v1/accounts").then().extract().statusCode() == 409;
        });

        Api.from(Api.newAddress()).body(Api.registration("ceased", LocalDate.now().minusYears(30)))
                .when().post("/v1/accounts").then().statusCode(409).contentType(Api.PROBLEM)
                .body("detail", containsString("6.9"));
        Api.as(p).body(Map.of("nickname", "before", "city", "Hangzhou")).when()
                .put("/v1/accounts/{id}/profile", p.id()).then().statusCode(409).contentType(Api.PROBLEM);
        Api.as(p).body(Map.of("method", "FACE", "providerRef", "face-check-1")).when()
                .post("/v1/accounts/{id}/real-name", p.id()).then().statusCode(409).contentType(Api.PROBLEM);
        Api.as(p).when().delete("/v1/accounts/{id}/profile/{field}", p.id(), "nickname").then().statusCode(200);
        given().auth().oauth2(p.access()).when().get("/v1/accounts/{id}", p.id()).then().statusCode(200);
    }
}
