package io.pledge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Access (6.1) and withdrawal (6.4) across the packaged services ({@link PledgeSystem}), every caller signed in for
 * real. Access: a subject registered at account-service, with more than 50 audit entries (its consent changes), asks
 * for access, verifies with the code account-service issued, and downloads the package: account-service's,
 * consent-service's, notification-service's and rights-request-service's parts, audit-service's with every entry it
 * has (not a page), and an external holder's part, fetched over https from its own export server (a real TLS server
 * in this test, on a certificate rights-request-service trusts through {@code pledge.rights.export.trusted-certificates})
 * with no Pledge credential. Withdrawal: the subject withdraws a consent at consent-service; the withdrawal reaches
 * every active holder registered for that purpose (notification-service and an external holder on plain Kafka
 * clients, {@link ExternalHolder}), each acknowledges with its own signed reply, and the request completes.
 */
@ExtendWith(PledgeSystem.class)
class AccessAndWithdrawalIT {

    private static final String PURPOSE = "marketing-email";
    private static final int CONSENT_CHANGES = 60;

    private static HttpsServer exports;
    private static final List<String> SEEN_AUTHORIZATION = new CopyOnWriteArrayList<>();
    private static final Map<String, String> PARTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** A holder's own export server: https on a certificate of its own, trusted by rights-request-service. */
    @BeforeAll
    static void exportServer() throws Exception {
        Path dir = PledgeSystem.dataDir().resolve("holder-tls");
        Files.createDirectories(dir);
        Path store = dir.resolve("holder-" + PledgeSystem.RUN + ".p12");
        char[] pw = ("pw-" + PledgeSystem.RUN).toCharArray();
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "holder", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=127.0.0.1", "-ext", "SAN=IP:127.0.0.1", "-validity", "2", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", new String(pw), "-keypass", new String(pw));
        Path pem = dir.resolve("trusted-" + PledgeSystem.RUN + ".pem");
        run(keytool, "-exportcert", "-rfc", "-alias", "holder", "-keystore", store.toString(), "-storepass",
                new String(pw), "-file", pem.toString());
        // the file PledgeSystem points rights-request-service at; it is re-read when it changes
        Files.copy(pem, dir.resolve("trusted.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, pw);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        exports = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        exports.setHttpsConfigurator(new HttpsConfigurator(tls));
        exports.createContext("/", x -> {
            SEEN_AUTHORIZATION.add(String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
            String body = PARTS.get(x.getRequestURI().getRawPath());
            byte[] b = (body == null ? "{}" : body).getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(body == null ? 404 : 200, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        exports.start();
        // the first registration of a run may come before notification-service's client secret exists
        Subjects.registerWhenReady("warm-up");
    }

    @AfterAll
    static void stop() {
        if (exports != null) {
            exports.stop(0);
        }
    }

    @Test
    @Tag("clause-6.1")
    @Tag("rights-request-service")
    @Tag("audit-service")
    void aSubjectDownloadsEverythingEveryHolderHasInOnePackage() throws Exception {
        String external = "profiles-" + PledgeSystem.RUN;
        String base = "https://127.0.0.1:" + exports.getAddress().getPort() + "/exports/" + external;
        register(external, List.of("analytics-profiles"), List.of("profiling"), base);
        try (ExternalHolder holder = new ExternalHolder(external, c -> c.type().contains("ExportRequested") ? null
                : c.type().contains("HolderOffboardingRequested") ? "ERASED" : "NOT_HELD")) {
            Subjects.Person p = Subjects.register("access");
            // a history longer than one page of audit-service's (50): every consent change is audited
            for (int i = 0; i < CONSENT_CHANGES; i++) {
                consents(p.access()).body(Map.of("purposeId", "third-party-matching", "decision", i % 2 == 0 ? "GIVEN" : "WITHDRAWN",
                        "channel", "WEB")).when().post("/v1/consents/{s}/records", p.id()).then().statusCode(201);
            }
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).until(() ->
                    audit(p.access()).when().get("/v1/audit/subjects/{s}/entries", p.id()).then().statusCode(200)
                            .extract().jsonPath().getInt("total") >= CONSENT_CHANGES);
            // the external holder's part: more than 50 items too
            List<Map<String, Object>> profiles = new ArrayList<>();
            for (int i = 0; i < 75; i++) {
                profiles.add(Map.of("segment", "segment-" + i, "score", i));
            }
            String location = base + "/" + p.id();
            PARTS.put("/exports/" + external + "/" + p.id(), io.pledge.events.EventJson.mapper()
                    .writeValueAsString(Map.of("subjectId", p.id().toString(), "profiles", profiles)));

            UUID request = submitAndVerify(p, Map.of("type", "ACCESS"));
            await().atMost(Duration.ofSeconds(60)).until(() -> holder.received().stream()
                    .anyMatch(c -> c.requestId().equals(request.toString()) && c.type().contains("ExportRequested")));
            ExternalHolder.Command cmd = holder.received().stream()
                    .filter(c -> c.requestId().equals(request.toString())).findFirst().orElseThrow();
            holder.replyExported(cmd, location);
            JsonPath done = awaitStatus(p.access(), request, "COMPLETED", Duration.ofSeconds(120));
            assertThat(done.getList("holders", Map.class)).extracting(h -> h.get("holderId"))
                    .contains("account-service", "consent-service", "notification-service", "audit-service",
                            "rights-request-service", external);

            long auditTotal = audit(p.access()).when().get("/v1/audit/subjects/{s}/entries", p.id()).then()
                    .statusCode(200).extract().jsonPath().getLong("total");
            int fetchesBefore = SEEN_AUTHORIZATION.size();
            JsonPath pkg = rights(p.access()).when().get("/v1/requests/{id}/package", request).then().statusCode(200)
                    .extract().jsonPath();
            assertThat(pkg.getString("subjectId")).isEqualTo(p.id().toString());
            assertThat(pkg.getMap("parts")).containsKeys("account-service", "consent-service", "notification-service",
                    "audit-service", "rights-request-service", external);
            // account-service: the account itself
            assertThat(pkg.getString("parts.account-service.account.subjectId")).isEqualTo(p.id().toString());
            assertThat(pkg.getString("parts.account-service.account.userName")).isEqualTo(p.userName());
            assertThat(pkg.getString("parts.account-service.account.email")).isEqualTo(p.email());
            // consent-service: every consent change
            assertThat(pkg.getList("parts.consent-service.records")).hasSizeGreaterThanOrEqualTo(CONSENT_CHANGES);
            // notification-service: the messages sent (the registration's verification codes, masked)
            assertThat(pkg.getList("parts.notification-service.messages")).isNotEmpty();
            // audit-service: every entry, not one page of them
            List<Long> seqs = pkg.getList("parts.audit-service.entries.seq", Long.class);
            assertThat(seqs).hasSizeGreaterThan(50).hasSizeGreaterThanOrEqualTo((int) auditTotal).doesNotHaveDuplicates()
                    .isSorted();
            assertThat(pkg.getInt("parts.audit-service.count")).isEqualTo(seqs.size());
            assertThat(pkg.getList("parts.audit-service.entries.subjectId", String.class)).containsOnly(p.id().toString());
            // rights-request-service: this request among the subject's requests
            assertThat(pkg.getList("parts.rights-request-service.requests.requestId", String.class))
                    .contains(request.toString());
            // the external holder: its whole part, fetched from its own server without any Pledge credential
            assertThat(pkg.getList("parts." + external + ".profiles")).hasSize(75);
            assertThat(SEEN_AUTHORIZATION.subList(fetchesBefore, SEEN_AUTHORIZATION.size())).isNotEmpty()
                    .containsOnly("null");
            assertThat(pkg.getList("readme.parts.holderId", String.class)).contains(external, "audit-service");
        } finally {
            Holders.offboard(external);
        }
    }

    @Test
    @Tag("clause-6.4")
    @Tag("rights-request-service")
    void aWithdrawalReachesEveryHolderOfThePurposeAndEachAcknowledges() throws Exception {
        String partner = "mailer-" + PledgeSystem.RUN;
        register(partner, List.of("contact"), List.of(PURPOSE), null);
        try (ExternalHolder holder = new ExternalHolder(partner, c -> c.type().contains("ProcessingStopRequested")
                ? "APPLIED" : c.type().contains("HolderOffboardingRequested") ? "ERASED" : "NOT_HELD")) {
            Subjects.Person p = Subjects.register("withdraw");
            consents(p.access()).body(Map.of("purposeId", PURPOSE, "decision", "GIVEN", "channel", "WEB"))
                    .when().post("/v1/consents/{s}/records", p.id()).then().statusCode(201);
            // who processes the purpose, by the registry
            Set<String> expected = rights(Subjects.officer()).when().get("/v1/holders").then().statusCode(200)
                    .extract().jsonPath().<Map<String, Object>>getList("$").stream()
                    .filter(h -> "ACTIVE".equals(h.get("status")) && ((List<?>) h.get("purposes")).contains(PURPOSE))
                    .map(h -> (String) h.get("id")).collect(Collectors.toSet());
            assertThat(expected).contains("notification-service", partner);

            consents(p.access()).body(Map.of("purposeId", PURPOSE, "decision", "WITHDRAWN", "channel", "WEB"))
                    .when().post("/v1/consents/{s}/records", p.id()).then().statusCode(201);
            // consent-service's withdrawal becomes a consent-scope request at rights-request-service
            JsonPath[] scope = new JsonPath[1];
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                List<Map<String, Object>> mine = rights(p.access()).queryParam("subjectId", p.id())
                        .when().get("/v1/requests").then().statusCode(200).extract().jsonPath().getList("$");
                return mine.stream().filter(r -> "CONSENT_SCOPE".equals(r.get("type")) && PURPOSE.equals(r.get("purposeId")))
                        .findFirst().map(r -> {
                            scope[0] = rights(p.access()).when().get("/v1/requests/{id}", r.get("requestId")).then()
                                    .statusCode(200).extract().jsonPath();
                            return "COMPLETED".equals(scope[0].getString("status"));
                        }).orElse(false);
            });
            List<Map<String, Object>> holders = scope[0].getList("holders", Map.class).stream()
                    .map(h -> (Map<String, Object>) h).toList();
            // every holder of the purpose was expected, and each acknowledged with its own reply
            assertThat(holders).extracting(h -> (String) h.get("holderId")).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(holders).allSatisfy(h -> {
                assertThat(h.get("status")).as((String) h.get("holderId")).isEqualTo("FINAL");
                assertThat(h.get("outcome")).as((String) h.get("holderId")).isIn("APPLIED", "NOT_HELD");
                assertThat(h.get("repliedAt")).as((String) h.get("holderId")).isNotNull();
                assertThat(h.get("resolvedByOffboarding")).isNull();
            });
            assertThat(holders).filteredOn(h -> partner.equals(h.get("holderId"))).singleElement()
                    .satisfies(h -> assertThat(h.get("outcome")).isEqualTo("APPLIED"));
            // the partner was told which subject and purpose, and nothing on behalf of anyone else
            String requestId = scope[0].getString("requestId");
            List<ExternalHolder.Command> stops = holder.received().stream()
                    .filter(c -> c.requestId().equals(requestId)).toList();
            assertThat(stops).singleElement().satisfies(c -> {
                assertThat(c.type()).contains("ProcessingStopRequested");
                assertThat(c.body().path("subjectId").asText()).isEqualTo(p.id().toString());
                assertThat(c.body().path("purposeId").asText()).isEqualTo(PURPOSE);
            });
        } finally {
            Holders.offboard(partner);
        }
    }

    /**
     * Policy 5.4 (the rights row): an external holder answers a verified deletion RETAINED (a category kept by law
     * until a day already past); rights-request-service then sends that holder alone a follow-up erasure of that
     * category (ground RETENTION_EXPIRED), the holder acknowledges it like any erasure, and the follow-up ends in its
     * own certificate.
     */
    @Test
    @Tag("clause-5.4")
    @Tag("rights-request-service")
    void aRetainedItemIsErasedAtItsUntilDateByAFollowUpTheHolderAcknowledges() throws Exception {
        String keeper = "ledger-" + PledgeSystem.RUN;
        register(keeper, List.of("account", "contact"), List.of("core-service"), null);
        try (ExternalHolder holder = new ExternalHolder(keeper, c -> c.type().contains("ErasureRequested")
                && c.body().path("ground").asText().equals("RETENTION_EXPIRED") ? "ERASED"
                : c.type().contains("ErasureRequested") ? null
                : c.type().contains("HolderOffboardingRequested") ? "ERASED" : "NOT_HELD")) {
            Subjects.Person p = Subjects.register("retain");
            UUID deletion = submitAndVerify(p, Map.of("type", "DELETION", "ground", "6.3.4"));
            await().atMost(Duration.ofSeconds(60)).until(() -> holder.received().stream()
                    .anyMatch(c -> c.requestId().equals(deletion.toString())));
            ExternalHolder.Command cmd = holder.received().stream()
                    .filter(c -> c.requestId().equals(deletion.toString())).findFirst().orElseThrow();
            // kept by law until a day already past (in the zone deadlines are counted in): the follow-up is due now
            java.time.LocalDate until = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).minusDays(2);
            holder.replyRetained(cmd, "contact", "ACCOUNTING_LAW", until);
            String officer = Subjects.officer();
            JsonPath done = awaitStatus(officer, deletion, "COMPLETED", Duration.ofSeconds(120));
            assertThat(done.getList("holders", Map.class)).filteredOn(h -> keeper.equals(h.get("holderId")))
                    .singleElement().satisfies(h -> assertThat(h.get("outcome")).isEqualTo("RETAINED"));

            // the follow-up: to that holder only, that category only; acknowledged; certified
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).until(() -> holder.received()
                    .stream().anyMatch(c -> "RETENTION_EXPIRED".equals(c.body().path("ground").asText())
                            && p.id().toString().equals(c.body().path("subjectId").asText())));
            ExternalHolder.Command followUp = holder.received().stream()
                    .filter(c -> "RETENTION_EXPIRED".equals(c.body().path("ground").asText())
                            && p.id().toString().equals(c.body().path("subjectId").asText())).findFirst().orElseThrow();
            assertThat(followUp.body().path("holderIds")).extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                    .containsExactly(keeper);
            assertThat(followUp.body().path("categories")).extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                    .containsExactly("contact");
            UUID followUpId = UUID.fromString(followUp.requestId());
            JsonPath followed = awaitStatus(officer, followUpId, "COMPLETED", Duration.ofSeconds(60));
            assertThat(followed.getString("ground")).isEqualTo("RETENTION_EXPIRED");
            assertThat(followed.getList("holders", Map.class)).singleElement()
                    .satisfies(h -> assertThat(h.get("outcome")).isEqualTo("ERASED"));
            JsonPath cert = rights(officer).when().get("/v1/requests/{id}/certificate", followUpId).then()
                    .statusCode(200).extract().jsonPath();
            assertThat(Certificates.holderProblems(PledgeSystem.RIGHTS.url() + "/v1/certificates/public-key", cert))
                    .isEmpty();
        } finally {
            Holders.offboard(keeper);
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command[0] + " failed: " + out);
        }
    }

    private static RequestSpecification rights(String token) {
        return given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static RequestSpecification consents(String token) {
        return given().baseUri(PledgeSystem.CONSENT.url()).auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static RequestSpecification audit(String token) {
        return given().baseUri(PledgeSystem.AUDIT.url()).auth().oauth2(token);
    }

    private static void register(String holderId, List<String> categories, List<String> purposes, String exportBase)
            throws Exception {
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("id", holderId, "kind", "DOWNSTREAM",
                "categories", categories, "purposes", purposes, "region", "CN", "channel", "KAFKA",
                "agreement", Map.of("matters", "user analytics", "period", "P1Y", "nature", "processing",
                        "purpose", String.join(",", purposes), "responsibilities", "stop and erase on request",
                        "documentRef", "DPA-18"),
                "ackSlaSeconds", 3600, "signingKeys", List.of(ExternalHolder.publicJwk(holderId))));
        if (exportBase != null) {
            body.put("exportBaseUrl", exportBase);
        }
        ExternalHolder.registered(holderId, rights(Subjects.officer()).body(body).when().post("/v1/holders").then()
                .statusCode(201).extract().path("kafka"));
    }


    private static UUID submitAndVerify(Subjects.Person p, Map<String, Object> request) throws Exception {
        JsonPath submitted = rights(p.access()).body(request).when().post("/v1/requests").then().statusCode(201)
                .extract().jsonPath();
        UUID id = UUID.fromString(submitted.getString("request.requestId"));
        UUID verification = UUID.fromString(submitted.getString("verification.verificationId"));
        rights(p.access()).body(Map.of("code", Subjects.code(verification)))
                .when().post("/v1/requests/{id}/verification", id).then().statusCode(200);
        return id;
    }

    private static JsonPath awaitStatus(String token, UUID request, String status, Duration within) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(within).pollInterval(Duration.ofSeconds(1)).until(() -> {
            last[0] = rights(token).when().get("/v1/requests/{id}", request).then().statusCode(200).extract().jsonPath();
            return status.equals(last[0].getString("status"));
        });
        return last[0];
    }
}
