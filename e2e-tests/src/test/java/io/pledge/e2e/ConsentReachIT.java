package io.pledge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Consent actually asked of subjects, across the packaged services (policies 2.3, 9.2): a privacy officer (real staff
 * sign-in with TOTP) adds a purpose or publishes a material policy version in consent-service; consent-service asks
 * each known subject with a request of their own (ConsentRequested on the real broker); notification-service sends
 * the subject, in their language, one notice whose link names that request (read from the embedded mail server over
 * IMAP); the subject, signed in for real, answers it in consent-service, and the answer is a ledger record naming the
 * request and the policy version it was asked under. Nothing is stood in.
 */
@ExtendWith(PledgeSystem.class)
class ConsentReachIT {

    private static final Pattern REQUEST_LINK = Pattern.compile("/v1/consent-requests/([0-9a-f-]{36})");

    @Test
    @Tag("clause-2.3")
    @Tag("consent-service")
    void aNewPurposeAsksEverySubjectOnceInTheirLanguageAndTheAnswerLandsInTheLedger() throws Exception {
        Subjects.Person english = Subjects.register("reach-en");
        Subjects.Person chinese = Subjects.register("reach-zh");
        locale(english, "en");
        for (Subjects.Person p : List.of(english, chinese)) {
            // known to consent-service (AccountRegistered) before the purpose is added
            awaitKnown(p);
        }
        String purpose = "voice-analysis-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", purpose);
        body.put("description", "Analysing support calls to train assistants");
        body.put("clause", "2.3");
        body.put("legalBasis", "CONSENT");
        body.put("mechanism", "OPT_IN");
        body.put("dataCategories", List.of("contact", "usage"));
        given().baseUri(PledgeSystem.CONSENT.url()).auth().oauth2(Subjects.officer()).contentType(ContentType.JSON).body(body)
                .when().post("/v1/purposes").then().statusCode(201);

        Mailboxes.Mail en = Mailboxes.await(english.email(), m -> m.text().contains(purpose), Duration.ofSeconds(120));
        assertThat(en.subject()).isEqualTo("We ask for your consent to a new purpose");
        Mailboxes.Mail zh = Mailboxes.await(chinese.email(), m -> m.text().contains(purpose), Duration.ofSeconds(120));
        assertThat(zh.subject()).isEqualTo("我们就一项新用途征求您的同意");
        String request = requestIn(en);
        assertThat(requestIn(zh)).isNotEqualTo(request);

        // the request the notice names is the subject's own, open, for that purpose
        JsonPath asked = consent(english).when().get("/v1/consent-requests/{r}", request).then().statusCode(200)
                .extract().jsonPath();
        assertThat(asked.getString("purposeId")).isEqualTo(purpose);
        assertThat(asked.getString("reason")).isEqualTo("NEW_PURPOSE");
        assertThat(asked.getString("answeredAt")).isNull();
        // another subject may not answer it
        consent(chinese).body(Map.of("decision", "GIVEN", "channel", "WEB"))
                .when().post("/v1/consent-requests/{r}/answer", request).then().statusCode(403);
        String holder = Clients.service("notification-service", "consent-service", List.of("consent:check"));
        assertThat(check(holder, english.id(), purpose).getString("reason")).isEqualTo("NEVER_GRANTED");

        JsonPath answered = consent(english).body(Map.of("decision", "GIVEN", "channel", "WEB"))
                .when().post("/v1/consent-requests/{r}/answer", request).then().statusCode(201).extract().jsonPath();
        assertThat(answered.getString("record.requestId")).isEqualTo(request);
        assertThat(check(holder, english.id(), purpose).getBoolean("permitted")).isTrue();
        consent(english).when().get("/v1/consents/{s}/records", english.id()).then().statusCode(200)
                .body("items.find { it.purposeId == '" + purpose + "' }.requestId", org.hamcrest.Matchers.equalTo(request));
        // asked once: a second answer is refused and the notice was sent once
        consent(english).body(Map.of("decision", "REFUSED", "channel", "WEB"))
                .when().post("/v1/consent-requests/{r}/answer", request).then().statusCode(409);
        assertThat(Mailboxes.count(english.email(), m -> m.text().contains(purpose))).isEqualTo(1);
    }

    @Test
    @Tag("clause-9.2")
    @Tag("consent-service")
    @Tag("notification-service")
    void aMaterialVersionRequestsReConsentAndTheNoticesAnswerIsRecordedAgainstThatVersion() throws Exception {
        Subjects.Person p = Subjects.register("reconsent");
        locale(p, "en");
        consent(p).body(Map.of("purposeId", "profiling", "decision", "GIVEN", "channel", "WEB"))
                .when().post("/v1/consents/{s}/records", p.id()).then().statusCode(201);
        String version = "2027-" + UUID.randomUUID().toString().substring(0, 8);
        Instant effective = Instant.now().plus(31, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", version);
        body.put("text", "Profiling now also uses support tickets. " + version);
        body.put("summary", "Profiling uses support tickets");
        body.put("effectiveAt", effective.toString());
        body.put("material", true);
        body.put("changedPurposes", List.of("profiling"));
        given().baseUri(PledgeSystem.CONSENT.url()).auth().oauth2(Subjects.officer()).contentType(ContentType.JSON).body(body)
                .when().post("/v1/policy-versions").then().statusCode(201);

        // the prominent notice of the change, and the re-consent request naming the version, both before it takes effect
        Mailboxes.await(p.email(), m -> m.subject().contains(effective.toString().substring(0, 10)), Duration.ofSeconds(120));
        Mailboxes.Mail ask = Mailboxes.await(p.email(), m -> m.subject().equals("Our privacy policy " + version
                + " asks for your consent again"), Duration.ofSeconds(120));
        assertThat(ask.text()).contains("\"profiling\"");
        String request = requestIn(ask);
        JsonPath asked = consent(p).when().get("/v1/consent-requests/{r}", request).then().statusCode(200).extract().jsonPath();
        assertThat(asked.getString("reason")).isEqualTo("POLICY_CHANGE");
        assertThat(asked.getString("policyVersion")).isEqualTo(version);

        JsonPath answered = consent(p).body(Map.of("decision", "REFUSED", "channel", "WEB"))
                .when().post("/v1/consent-requests/{r}/answer", request).then().statusCode(201).extract().jsonPath();
        assertThat(answered.getString("record.policyVersion")).isEqualTo(version);
        assertThat(answered.getString("record.requestId")).isEqualTo(request);
        String inForce = given().baseUri(PledgeSystem.CONSENT.url()).when().get("/v1/policy-versions/current").then()
                .statusCode(200).body("version", org.hamcrest.Matchers.not(version)).extract().path("version");
        // every version stays retrievable (9.4): the one in force and the coming one, each with its own text, in the list
        List<String> all = given().baseUri(PledgeSystem.CONSENT.url()).when().get("/v1/policy-versions").then()
                .statusCode(200).extract().jsonPath().getList("version", String.class);
        assertThat(all).contains(inForce, version);
        assertThat(all.indexOf(inForce)).as("oldest first").isLessThan(all.indexOf(version));
        given().baseUri(PledgeSystem.CONSENT.url()).when().get("/v1/policy-versions/{v}", version).then().statusCode(200)
                .body("text", org.hamcrest.Matchers.equalTo(body.get("text"))).body("material", org.hamcrest.Matchers.equalTo(true))
                .body("changedPurposes", org.hamcrest.Matchers.contains("profiling"));
        given().baseUri(PledgeSystem.CONSENT.url()).when().get("/v1/policy-versions/{v}", inForce).then().statusCode(200)
                .body("version", org.hamcrest.Matchers.equalTo(inForce)).body("text", org.hamcrest.Matchers.not(body.get("text")));
        String holder = Clients.service("notification-service", "consent-service", List.of("consent:check"));
        assertThat(check(holder, p.id(), "profiling").getString("reason")).isEqualTo("REFUSED");
    }

    @Test
    @Tag("clause-3.1")
    @Tag("consent-service")
    void aGpcSignalOnAnOrdinaryVisitToAnotherServiceIsRecordedAsTheSubjectsOptOut() throws Exception {
        Subjects.Person p = Subjects.register("gpc");
        consent(p).body(Map.of("purposeId", "cookies-analytics", "decision", "GIVEN", "channel", "WEB"))
                .when().post("/v1/consents/{s}/records", p.id()).then().statusCode(201);
        String holder = Clients.service("notification-service", "consent-service", List.of("consent:check"));
        assertThat(check(holder, p.id(), "cookies-analytics").getBoolean("permitted")).isTrue();

        // an ordinary visit: the subject reads their own account in account-service, the browser sending Sec-GPC: 1
        given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(p.access()).header("Sec-GPC", "1")
                .when().get("/v1/accounts/{id}", p.id()).then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                "REFUSED".equals(check(holder, p.id(), "cookies-analytics").getString("reason")));
        for (String purpose : List.of("cookies-advertising", "email-tracking")) {
            assertThat(check(holder, p.id(), purpose).getBoolean("permitted")).as(purpose).isFalse();
        }
        JsonPath records = consent(p).when().get("/v1/consents/{s}/records", p.id()).then().statusCode(200)
                .extract().jsonPath();
        assertThat(records.getList("items.findAll { it.channel == 'GPC' }.purposeId", String.class))
                .containsExactlyInAnyOrder("cookies-analytics", "cookies-advertising", "email-tracking");
        // a visitor without a token is nobody's opt-out: nothing is recorded for anyone
        given().baseUri(PledgeSystem.ACCOUNT.url()).header("Sec-GPC", "1").when().get("/v1/accounts/{id}", p.id())
                .then().statusCode(401);
        // the next visit with the signal records nothing new
        given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(p.access()).header("DNT", "1")
                .when().get("/v1/requests").then().statusCode(org.hamcrest.Matchers.lessThan(500));
        Thread.sleep(2_000);
        assertThat(consent(p).when().get("/v1/consents/{s}/records", p.id()).then().statusCode(200).extract().jsonPath()
                .getList("items.findAll { it.signal != null }")).hasSize(3);
    }

    @Test
    @Tag("clause-5.4")
    @Tag("consent-service")
    void aTransferIsCheckedAgainstTheRecipientsRegisteredRegionWhateverTheCallerStates() throws Exception {
        // an offshore partner registered by a privacy officer in rights-request-service's holder registry, in Singapore
        String partner = "sg-" + PledgeSystem.RUN.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, String> kafka = given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(Subjects.officer())
                .contentType(ContentType.JSON).body(Map.of("id", partner, "kind", "OFFSHORE", "categories", List.of("usage"),
                        "purposes", List.of("sharing-partners"), "region", "SG", "channel", "KAFKA",
                        "agreement", Map.of("matters", "usage analytics", "period", "P1Y", "nature", "processing",
                                "purpose", "sharing-partners", "responsibilities", "erase on request", "documentRef", "DPA-SG-1"),
                        "ackSlaSeconds", 3600, "signingKeys", List.of(ExternalHolder.publicJwk(partner))))
                .when().post("/v1/holders").then().statusCode(201).extract().jsonPath().getMap("kafka");
        ExternalHolder.registered(partner, kafka);
        // the partner runs as a real holder (it answers the rights commands every holder gets) until it is offboarded
        try (ExternalHolder running = new ExternalHolder(partner, c -> "ERASED")) {
            transferChecks(partner);
            given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(Subjects.officer())
                    .when().post("/v1/holders/{id}/offboarding", partner).then().statusCode(202);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> "OFFBOARDED".equals(
                    given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(Subjects.officer())
                            .when().get("/v1/holders/{id}", partner).then().statusCode(200).extract().path("status")));
        }
    }

    private static void transferChecks(String partner) throws Exception {
        Subjects.Person p = Subjects.register("transfer");
        consent(p).body(Map.of("purposeId", "sharing-partners", "decision", "GIVEN", "channel", "WEB", "recipientId", partner))
                .when().post("/v1/consents/{s}/records", p.id()).then().statusCode(201);
        String holder = Clients.service("notification-service", "consent-service", List.of("consent:check"));

        // the caller omits the region, or says the partner is at home: the check still sees Singapore
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                "REGION_NOT_COVERED".equals(check(holder, p.id(), "sharing-partners", partner, null).getString("reason")));
        assertThat(check(holder, p.id(), "sharing-partners", partner, "CN").getString("reason")).isEqualTo("REGION_NOT_COVERED");
        assertThat(check(holder, p.id(), "sharing-partners", partner, "CN").getBoolean("permitted")).isFalse();

        // a transfer consent naming another region than the registered one is refused; the right one is accepted
        Map<String, Object> terms = new LinkedHashMap<>();
        terms.put("recipientName", "SG Analytics Pte. Ltd.");
        terms.put("recipientContact", "privacy@sg-analytics.example");
        terms.put("processingMethod", "aggregate usage analytics in a Singapore data centre");
        terms.put("purposes", List.of("sharing-partners"));
        terms.put("dataCategories", List.of("usage"));
        terms.put("rightsProcedure", "write to privacy@sg-analytics.example; answered within 15 business days");
        Map<String, Object> transfer = new LinkedHashMap<>();
        transfer.put("purposeId", "cross-border-transfer");
        transfer.put("decision", "GIVEN");
        transfer.put("channel", "WEB");
        transfer.put("recipientId", partner);
        transfer.put("region", "US");
        transfer.put("explicitConfirmation", true);
        transfer.put("transfer", terms);
        consent(p).body(transfer).when().post("/v1/consents/{s}/records", p.id()).then().statusCode(422)
                .body("field", org.hamcrest.Matchers.equalTo("region"));
        transfer.put("region", "SG");
        consent(p).body(transfer).when().post("/v1/consents/{s}/records", p.id()).then().statusCode(201);
        assertThat(check(holder, p.id(), "sharing-partners", partner, null).getBoolean("permitted")).isTrue();
        assertThat(check(holder, p.id(), "sharing-partners", partner, "CN").getBoolean("permitted")).isTrue();
    }

    private static JsonPath check(String holderToken, UUID subject, String purpose, String recipient, String region) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subjectId", subject.toString());
        body.put("purposeId", purpose);
        body.put("recipientId", recipient);
        if (region != null) {
            body.put("region", region);
        }
        return given().baseUri(PledgeSystem.CONSENT.url()).auth().oauth2(holderToken).contentType(ContentType.JSON)
                .body(body).when().post("/v1/checks").then().statusCode(200).extract().jsonPath();
    }

    private static String requestIn(Mailboxes.Mail m) {
        Matcher matcher = REQUEST_LINK.matcher(m.text());
        assertThat(matcher.find()).as("the notice links to its consent request").isTrue();
        return matcher.group(1);
    }

    private static void awaitKnown(Subjects.Person p) {
        // a refusal of a tracking purpose makes the subject known whatever account.events delivered so far
        consent(p).body(Map.of("purposeId", "cookies-advertising", "decision", "REFUSED", "channel", "WEB"))
                .when().post("/v1/consents/{s}/records", p.id()).then().statusCode(201);
    }

    private static void locale(Subjects.Person p, String locale) {
        given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(p.access()).contentType(ContentType.JSON)
                .body(Map.of("locale", locale)).when().put("/v1/accounts/{id}/profile", p.id()).then().statusCode(200);
    }

    private static io.restassured.specification.RequestSpecification consent(Subjects.Person p) {
        return given().baseUri(PledgeSystem.CONSENT.url()).auth().oauth2(p.access()).contentType(ContentType.JSON);
    }

    private static JsonPath check(String holderToken, UUID subject, String purpose) {
        return given().baseUri(PledgeSystem.CONSENT.url()).auth().oauth2(holderToken).contentType(ContentType.JSON)
                .body(Map.of("subjectId", subject.toString(), "purposeId", purpose))
                .when().post("/v1/checks").then().statusCode(200).extract().jsonPath();
    }
}
