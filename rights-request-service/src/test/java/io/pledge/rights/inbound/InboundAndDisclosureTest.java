package io.pledge.rights.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.pledge.rights.support.Api;
import io.pledge.kit.testing.Db;
import io.pledge.rights.support.RightsBroker;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Inbound sources (2.1.3) and public disclosures (4.4) against the real PostgreSQL test database. */
@QuarkusTest
@WithTestResource(value = RightsBroker.class, scope = TestResourceScope.GLOBAL)
class InboundAndDisclosureTest {

    @Inject
    AgroalDataSource db;

    @Test
    @Tag("clause-2.1.3")
    void dataFromAThirdPartyIsUsableOnlyWithinTheLegalBasisAndConsentScopeOfItsSource() {
        String source = "lead-broker-" + UUID.randomUUID().toString().substring(0, 8);
        Api.officer().body(Map.of("id", source, "legalBasis", "CONSENT_OBTAINED_BY_SOURCE",
                        "consentScope", List.of("business-notifications"), "categories", List.of("contact")))
                .when().post("/v1/inbound-sources").then().statusCode(201);
        Api.officer().body(Map.of("purposeId", "business-notifications", "categories", List.of("contact")))
                .when().post("/v1/inbound-sources/{id}/checks", source).then().statusCode(200)
                .body("permitted", equalTo(true)).body("legalBasis", equalTo("CONSENT_OBTAINED_BY_SOURCE"));
        Api.officer().body(Map.of("purposeId", "marketing-email", "categories", List.of("contact")))
                .when().post("/v1/inbound-sources/{id}/checks", source).then().statusCode(422).contentType(Api.PROBLEM)
                .body("field", equalTo("purposeId"));
        Api.officer().body(Map.of("purposeId", "business-notifications", "categories", List.of("real-name")))
                .when().post("/v1/inbound-sources/{id}/checks", source).then().statusCode(422).contentType(Api.PROBLEM)
                .body("field", equalTo("categories"));
        Api.officer().body(Map.of("purposeId", "business-notifications", "categories", List.of("contact")))
                .when().post("/v1/inbound-sources/{id}/checks", "unregistered-source").then().statusCode(422)
                .contentType(Api.PROBLEM);
    }

    @Test
    @Tag("clause-4.4")
    void aPublicDisclosureIsRecordedOnlyWithALegalDocumentReference() {
        UUID subject = UUID.randomUUID();
        Api.officer().body(Map.of("subjectId", subject.toString(), "recipient", "public-register",
                        "categories", List.of("account"), "basis", "LEGAL_DOCUMENT"))
                .when().post("/v1/disclosures").then().statusCode(422).contentType(Api.PROBLEM)
                .body("field", equalTo("legalDocumentRef"));
        assertThat(Db.count(db, "select count(*) from disclosure where subject_id = ?", subject)).isZero();
        Api.officer().body(Map.of("subjectId", subject.toString(), "recipient", "public-register",
                        "categories", List.of("account"), "basis", "LEGAL_DOCUMENT",
                        "legalDocumentRef", "court-order 2026-0042"))
                .when().post("/v1/disclosures").then().statusCode(201);
        assertThat(Db.string(db, "select legal_document_ref from disclosure where subject_id = ?", subject))
                .isEqualTo("court-order 2026-0042");
    }
}
