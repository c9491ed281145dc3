package io.pledge.rights.requests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.events.account.AccountRegistered;
import io.pledge.events.account.GuardianLinked;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.security.Roles;
import io.pledge.kit.testing.Db;
import io.pledge.kit.testing.TestTokens;
import io.pledge.rights.support.AccountStub;
import io.pledge.rights.support.Api;
import io.pledge.rights.support.RightsBroker;
import io.pledge.rights.support.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Guardians of minors (policy 7) against real PostgreSQL and Kafka: account-service's {@code GuardianLinked} is produced
 * on the real account.events topic as account-service does, and consumed through the kit inbox into the guardian
 * projection; requests are then submitted over HTTP with tokens shaped as account-service issues them (a guardian's
 * carries the roles subject and guardian). account-service's identity verification is the in-test stub, which
 * records whom each code was sent to.
 */
@QuarkusTest
@WithTestResource(value = RightsBroker.class, scope = TestResourceScope.GLOBAL)
class GuardianSubmissionTest {

    @Inject
    EventSchemas schemas;
    @Inject
    AgroalDataSource db;

    @BeforeAll
    static void stub() {
        AccountStub.ensure();
    }

    private static RequestSpecification asGuardian(UUID guardian) {
        return given().auth().oauth2(TestTokens.token(guardian.toString(), Set.of(Roles.SUBJECT, Roles.GUARDIAN),
                Duration.ofMinutes(10))).contentType(ContentType.JSON);
    }

    private long requestsOf(UUID subject) {
        return Db.count(db, "select count(*) from rights_request where subject_id = ?", subject);
    }

    @Test
    void aLinkedGuardianSubmitsForTheirWardAndVerifiesWithTheirOwnCodeWhileNobodyElseMaySubmitForAnother() throws Exception {
        UUID ward = UUID.randomUUID();
        UUID guardian = UUID.randomUUID();
        UUID stranger = UUID.randomUUID();
        // the link, delivered twice with the same event id (the second time naming someone else): applied once
        String linkId = Topics.send(EventTypes.GUARDIAN_LINKED, new GuardianLinked(ward, guardian, Instant.now()));
        Topics.send(EventTypes.GUARDIAN_LINKED, new GuardianLinked(ward, stranger, Instant.now().plusSeconds(1)), linkId,
                "/pledge/test");
        // a later event of the same ward (same key, same partition) shows both were handled
        Topics.send(EventTypes.ACCOUNT_REGISTERED, new AccountRegistered(ward, "INDIVIDUAL", true, Instant.now()));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                Db.count(db, "select count(*) from known_subject where subject_id = ?", ward) == 1);
        assertThat(Db.count(db, "select count(*) from guardian_link where ward_id = ?", ward)).isEqualTo(1);
        assertThat(Db.string(db, "select guardian_id from guardian_link where ward_id = ?", ward))
                .isEqualTo(guardian.toString());

        // nobody but the linked guardian submits for the ward: a 403 problem, no request, no code sent
        int codesBefore = AccountStub.VERIFICATIONS.size();
        Map<String, Object> forWard = Map.of("type", "DELETION", "ground", "6.3.1", "subjectId", ward.toString());
        asGuardian(stranger).body(forWard).when().post("/v1/requests").then().statusCode(403).contentType(Api.PROBLEM)
                .body("field", equalTo("subjectId"));
        Api.as(stranger).body(forWard).when().post("/v1/requests").then().statusCode(403).contentType(Api.PROBLEM)
                .body("field", equalTo("subjectId"));
        UUID notAWard = UUID.randomUUID();
        asGuardian(guardian).body(Map.of("type", "ACCESS", "subjectId", notAWard.toString())).when().post("/v1/requests")
                .then().statusCode(403).contentType(Api.PROBLEM).body("field", equalTo("subjectId"));
        // a guardian's role without a link is not enough; a link without the guardian role is not either
        given().auth().oauth2(TestTokens.subject(guardian)).contentType(ContentType.JSON).body(forWard).when()
                .post("/v1/requests").then().statusCode(403).contentType(Api.PROBLEM).body("field", equalTo("subjectId"));
        assertThat(requestsOf(ward)).isZero();
        assertThat(requestsOf(notAWard)).isZero();
        assertThat(AccountStub.VERIFICATIONS).hasSize(codesBefore);

        try (KafkaConsumer<String, byte[]> topics = Topics.tail("rights.commands", "rights-request.events")) {
            JsonPath submitted = asGuardian(guardian).body(forWard).when().post("/v1/requests").then().statusCode(201)
                    .extract().jsonPath();
            UUID id = UUID.fromString(submitted.getString("request.requestId"));
            assertThat(submitted.getString("request.subjectId")).isEqualTo(ward.toString());
            // the verification code went to the guardian, not to the ward
            assertThat(AccountStub.VERIFICATIONS.get(submitted.getString("verification.verificationId")))
                    .isEqualTo(guardian.toString());
            assertThat(Db.string(db, "select origin || ':' || submitted_by from rights_request where id = ?", id))
                    .isEqualTo("GUARDIAN:" + guardian);
            JsonObject event = Topics.await(topics, schemas, EventTypes.RIGHTS_REQUEST_SUBMITTED, id.toString()).json();
            assertThat(event.getString("subjectId")).isEqualTo(ward.toString());
            assertThat(event.getString("submittedBy")).isEqualTo("GUARDIAN");

            // others cannot see or verify it; the guardian can
            Api.as(stranger).when().get("/v1/requests/{id}", id).then().statusCode(404).contentType(Api.PROBLEM);
            asGuardian(stranger).body(Map.of("code", AccountStub.CODE)).when().post("/v1/requests/{id}/verification", id)
                    .then().statusCode(404).contentType(Api.PROBLEM);
            asGuardian(guardian).when().get("/v1/requests?subjectId={ward}", ward).then().statusCode(200)
                    .body("size()", equalTo(1));
            asGuardian(guardian).body(Map.of("code", AccountStub.CODE)).when().post("/v1/requests/{id}/verification", id)
                    .then().statusCode(200).body("status", equalTo("IN_PROGRESS"));
            JsonObject cmd = Topics.await(topics, schemas, EventTypes.ERASURE_REQUESTED, id.toString()).json();
            assertThat(cmd.getString("subjectId")).isEqualTo(ward.toString());
            asGuardian(guardian).when().get("/v1/requests/{id}", id).then().statusCode(200)
                    .body("subjectId", equalTo(ward.toString()));
        }
        assertThat(requestsOf(ward)).isEqualTo(1);
    }
}
