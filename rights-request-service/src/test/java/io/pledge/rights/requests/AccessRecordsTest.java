package io.pledge.rights.requests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.pledge.events.EventTypes;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import io.pledge.kit.testing.AccessRecords;
import io.pledge.kit.testing.TestTokens;
import io.pledge.rights.support.AccountStub;
import io.pledge.rights.support.Api;
import io.pledge.rights.support.RightsBroker;
import io.pledge.rights.support.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Policy 5.2.3 in rights-request-service (real database and broker): an officer's or agent's views of a subject's
 * requests are recorded as PersonalDataAccessed on the real access.records topic (schema-checked), for the purpose
 * they name or, on these endpoints, for handling the rights request; a purpose outside the vocabulary is refused; the
 * package (everything every holder holds) is refused without a purpose and recorded with one; a holder's read of this
 * service's export part is recorded as that client's; the subject's own reads record nothing. Holders are simulated
 * by a plain Kafka producer; account-service is the in-test stub {@link AccountStub} (identity verification only:
 * every holder here answers NOT_HELD). Faked: the token signer (TestTokens, which only %test trusts).
 */
@QuarkusTest
@WithTestResource(value = RightsBroker.class, scope = TestResourceScope.GLOBAL)
@Tag("clause-5.2.3")
class AccessRecordsTest {

    @Inject
    EventSchemas schemas;

    @BeforeAll
    static void stub() {
        AccountStub.ensure();
    }

    @Test
    void officersAndHoldersReadingRequestsAndPackagesAreRecordedWithWhoWhatAndWhy() throws Exception {
        UUID subject = UUID.randomUUID();
        UUID id;
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("rights.commands")) {
            id = Api.submitVerified(subject, Map.of("type", "ACCESS"));
            JsonObject cmd = Topics.await(topics, schemas, EventTypes.EXPORT_REQUESTED, id.toString()).json();
            for (Object h : cmd.getJsonArray("holderIds")) {
                if (!h.equals("rights-request-service")) {
                    Topics.reply(id, (String) h, subject, "ExportRequested", "NOT_HELD", null, null, null);
                }
            }
            Api.awaitStatus(subject, id, "COMPLETED");
        }
        String officerId = UUID.randomUUID().toString();
        String officer = TestTokens.token(officerId, Set.of(Roles.PRIVACY_OFFICER), Duration.ofMinutes(10));
        String agentId = UUID.randomUUID().toString();
        String agent = TestTokens.token(agentId, Set.of(Roles.SUPPORT_AGENT), Duration.ofMinutes(10));
        try (AccessRecords records = AccessRecords.tail(schemas, RightsBroker.bootstrap())) {
            // the subject's own reads
            Api.as(subject).when().get("/v1/requests/{id}", id).then().statusCode(200);
            Api.as(subject).when().get("/v1/requests/{id}/package", id).then().statusCode(200);
            // refused: a purpose outside the vocabulary, and the package without one
            given().auth().oauth2(officer).queryParam("purpose", "curiosity").when().get("/v1/requests/{id}", id)
                    .then().statusCode(400).contentType(Api.PROBLEM).body("field", equalTo("purpose"));
            given().auth().oauth2(officer).when().get("/v1/requests/{id}/package", id).then()
                    .statusCode(400).contentType(Api.PROBLEM).body("field", equalTo("purpose"));

            given().auth().oauth2(officer).when().get("/v1/requests/{id}", id).then().statusCode(200);
            given().auth().oauth2(agent).queryParam("subjectId", subject.toString()).queryParam("purpose", "support-case")
                    .when().get("/v1/requests").then().statusCode(200);
            given().auth().oauth2(officer).queryParam("purpose", "compliance-review").when()
                    .get("/v1/requests/{id}/package", id).then().statusCode(200)
                    .body("subjectId", equalTo(subject.toString()));
            given().auth().oauth2(Api.holderToken("rights-request-service", Scopes.RIGHTS_EXPORT_READ))
                    .queryParam("subjectId", subject.toString()).when().get("/v1/requests").then().statusCode(200);

            List<JsonObject> reads = records.of(subject, 4, Duration.ofSeconds(15), Duration.ofSeconds(2));
            assertThat(reads).extracting(r -> r.getString("accessorId"))
                    .containsExactly(officerId, agentId, officerId, "rights-request-service");
            assertThat(reads).extracting(r -> r.getString("accessorRole"))
                    .containsExactly("PRIVACY_OFFICER", "SUPPORT_AGENT", "PRIVACY_OFFICER", "SERVICE");
            assertThat(reads).extracting(r -> r.getString("purposeId"))
                    .containsExactly("rights-request", "support-case", "compliance-review", "rights-export");
            assertThat(reads).extracting(r -> r.getJsonArray("fields").getList().toString())
                    .containsExactly("[rightsRequest]", "[rightsRequests]", "[exportPackage]", "[rightsRequests]");
        }
    }
}
