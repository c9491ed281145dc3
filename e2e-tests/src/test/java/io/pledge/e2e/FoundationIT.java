package io.pledge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.security.KeyPairGenerator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The five packaged services as processes (see {@link PledgeSystem}) with the real PostgreSQL and
 * Kafka broker: every one reports ready with its database and Kafka checks, and the access token a
 * subject gets from a real login at account-service is accepted by every other service, which verifies
 * it against account-service's JWKS over HTTP; a token signed with any other key is refused. Nothing is
 * faked.
 */
@ExtendWith(PledgeSystem.class)
class FoundationIT {

    private static final String ISSUER = "https://pledge.local/account-service";

    @Test
    void everyServiceIsReadyWithDatabaseAndKafkaChecks() {
        for (PledgeSystem.Service s : PledgeSystem.ALL) {
            given().baseUri(s.url()).when().get("/q/health/ready").then()
                    .statusCode(200)
                    .body("status", equalTo("UP"))
                    .body("checks.name", hasItem(containsString("Database")))
                    .body("checks.name", hasItem(containsString("Kafka")));
        }
    }

    @Test
    void aTokenAccountServiceIssuedAtLoginIsAcceptedEverywhere() throws Exception {
        Subjects.Person person = Subjects.register("foundation");
        String subject = person.id().toString();
        String token = person.access();

        for (PledgeSystem.Service s : PledgeSystem.ALL) {
            given().baseUri(s.url()).auth().oauth2(token).when().get("/v1/session").then()
                    .statusCode(200)
                    .body("subject", equalTo(subject))
                    .body("roles", hasItem("subject"));
        }
    }

    @Test
    void aTokenSignedWithAnyOtherKeyIsRefusedWithAProblem() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        String kid = given().baseUri(PledgeSystem.ACCOUNT.url()).when().get("/.well-known/jwks.json")
                .then().extract().path("keys[0].kid");
        String forged = Tokens.sign(gen.generateKeyPair().getPrivate(), kid, ISSUER, "intruder", List.of("privacy-officer"), 300);
        for (PledgeSystem.Service s : PledgeSystem.ALL) {
            given().baseUri(s.url()).auth().oauth2(forged).when().get("/v1/session").then()
                    .statusCode(401)
                    .contentType("application/problem+json");
        }
    }

    @AfterAll
    static void report() {
        assertThat(PledgeSystem.READY_AFTER).hasSize(PledgeSystem.ALL.size());
        PledgeSystem.READY_AFTER.forEach((module, after) ->
                System.out.printf("[e2e] %s ready %.1f s after launch%n", module, after.toMillis() / 1000.0));
    }
}
