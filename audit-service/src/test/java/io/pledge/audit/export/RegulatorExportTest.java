package io.pledge.audit.export;

import static io.pledge.audit.AuditTestSupport.awaitRecorded;
import static io.pledge.audit.AuditTestSupport.example;
import static io.pledge.audit.AuditTestSupport.officer;
import static io.pledge.audit.AuditTestSupport.publish;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.pledge.audit.ledger.AuditEntry;
import io.pledge.events.EventTypes;
import io.pledge.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The regulator export from the running service (the entries between two signed checkpoints), verified offline by
 * {@link VerifyBundle} run as its own JVM process (nothing but the classpath and the bundle file): a fresh bundle
 * verifies; one edited entry, or a key other than the pinned one, does not, and the verifier names the first bad entry.
 */
@QuarkusTest
@Tag("clause-5.2")
class RegulatorExportTest {

    @Inject
    AgroalDataSource db;

    @Test
    void aSignedBundleVerifiesOfflineAndAnEditedOneDoesNot() throws Exception {
        awaitRecorded(db, publish(EventTypes.CONSENT_GRANTED, example(EventTypes.CONSENT_GRANTED)).id());
        long from = given().auth().oauth2(officer()).when().post("/v1/audit/checkpoints").then().statusCode(200)
                .extract().jsonPath().getLong("treeSize");
        AuditEntry e = awaitRecorded(db, publish(EventTypes.CONSENT_GRANTED, example(EventTypes.CONSENT_GRANTED)).id());
        awaitRecorded(db, publish(EventTypes.CONSENT_WITHDRAWN, example(EventTypes.CONSENT_WITHDRAWN)).id());
        long to = given().auth().oauth2(officer()).when().post("/v1/audit/checkpoints").then().statusCode(200)
                .extract().jsonPath().getLong("treeSize");
        assertThat(e.seq()).isBetween(from, to - 1);
        String keyId = given().when().get("/v1/audit/public-key").then().extract().jsonPath().getString("keyId");

        byte[] bundle = given().auth().oauth2(officer()).queryParam("from", from).queryParam("treeSize", to)
                .when().get("/v1/audit/export").then().statusCode(200).extract().asByteArray();
        Path file = Files.createTempFile("audit-bundle", ".json");
        Files.write(file, bundle);
        Result ok = verifyOffline(file, "--trust", keyId);
        assertThat(ok.exit()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("bundle signature: valid").contains("VALID");

        Result wrongKey = verifyOffline(file, "--trust", "some-other-key");
        assertThat(wrongKey.exit()).isEqualTo(1);

        String json = new String(bundle, StandardCharsets.UTF_8);
        String needle = "\"eventId\":\"" + e.eventId() + "\"";
        assertThat(json).contains(needle);
        Path edited = Files.createTempFile("audit-bundle-edited", ".json");
        Files.writeString(edited, json.replace(needle, "\"eventId\":\"" + UUID.randomUUID() + "\""));
        Result bad = verifyOffline(edited);
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.output()).contains("first bad entry: seq " + e.seq() + " (ALTERED)").contains("INVALID");

        given().auth().oauth2(TestTokens.subject(UUID.randomUUID())).when().get("/v1/audit/export").then().statusCode(403);
        given().auth().oauth2(officer()).queryParam("treeSize", "abc").when().get("/v1/audit/export").then()
                .statusCode(400).contentType("application/problem+json").body("field", org.hamcrest.Matchers.equalTo("treeSize"));
        given().auth().oauth2(officer()).queryParam("from", to).queryParam("treeSize", to).when().get("/v1/audit/export")
                .then().statusCode(400).contentType("application/problem+json");
        // a range may start only at 0 or at a checkpoint; the scheduler signs some too, so pick a size none has
        List<Long> signed = given().auth().oauth2(officer()).when().get("/v1/audit/checkpoints").then().statusCode(200)
                .extract().jsonPath().getList("treeSize", Long.class);
        long notACheckpoint = LongStream.range(1, to).filter(n -> !signed.contains(n)).max().orElseThrow();
        given().auth().oauth2(officer()).queryParam("from", notACheckpoint).queryParam("treeSize", to)
                .when().get("/v1/audit/export").then().statusCode(404).contentType("application/problem+json");
    }

    private record Result(int exit, String output) {
    }

    private static Result verifyOffline(Path bundle, String... more) throws IOException, InterruptedException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var cmd = new ArrayList<>(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
                VerifyBundle.class.getName(), bundle.toString()));
        cmd.addAll(List.of(more));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
