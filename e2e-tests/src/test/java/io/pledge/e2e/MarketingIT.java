package io.pledge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Policy 2.2.3 and 3.2 across the packaged services: a marketing team, registered through the holder registry with
 * the scope {@code marketing:send} and its own OAuth client, sends an offer through notification-service. Only the
 * subject who consented (in consent-service) gets it, with a one-click unsubscribe link and no tracking (no
 * email-tracking consent); following the link, without logging in, withdraws the consent in consent-service, and the
 * next offer reaches nobody. The team reads its message's outcome, never another team's.
 */
@ExtendWith(PledgeSystem.class)
class MarketingIT {

    @Test
    @Tag("clause-2.2.3")
    @Tag("clause-3.2")
    @Tag("notification-service")
    @Tag("consent-service")
    void onlyConsentedSubjectsGetMarketingEachWithAOneClickUnsubscribeThatEndsIt() throws Exception {
        String team = "mkt-" + PledgeSystem.RUN.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 6);
        // a team that does not process a marketing purpose cannot be given the scope
        rights(Subjects.officer()).body(registration(team + "-x", List.of("profiling"))).when().post("/v1/holders")
                .then().statusCode(422).contentType("application/problem+json").body("field",
                        org.hamcrest.Matchers.equalTo("oauthScopes"));
        JsonPath registered = rights(Subjects.officer()).body(registration(team, List.of("marketing-email")))
                .when().post("/v1/holders").then().statusCode(201).extract().jsonPath();
        ExternalHolder.registered(team, registered.getMap("kafka"));
        Map<String, Object> oauth = registered.getMap("oauth");
        String token = Holders.clientToken(oauth, "notification-service");

        try (ExternalHolder holder = new ExternalHolder(team, c -> c.type().endsWith(".ProcessingStopRequested.v1")
                ? "APPLIED" : "ERASED")) {
            Subjects.Person yes = Subjects.register("mkt-yes");
            Subjects.Person no = Subjects.register("mkt-no");
            given().baseUri(PledgeSystem.CONSENT.url()).auth().oauth2(yes.access()).contentType(ContentType.JSON)
                    .body(Map.of("purposeId", "marketing-email", "decision", "GIVEN", "channel", "WEB"))
                    .when().post("/v1/consents/{s}/records", yes.id()).then().statusCode(201);

            // bad input changes nothing: too many subjects, an unknown channel, a link that is not https
            List<String> tooMany = IntStream.range(0, 1001).mapToObj(i -> UUID.randomUUID().toString()).toList();
            for (Map<String, Object> bad : List.of(
                    Map.<String, Object>of("offerId", "w26", "offerUrl", "https://offers.example/w26",
                            "channels", List.of("EMAIL"), "subjectIds", tooMany),
                    Map.<String, Object>of("offerId", "w26", "offerUrl", "https://offers.example/w26",
                            "channels", List.of("FAX"), "subjectIds", List.of(yes.id().toString())),
                    Map.<String, Object>of("offerId", "w26", "offerUrl", "javascript:alert(1)",
                            "channels", List.of("EMAIL"), "subjectIds", List.of(yes.id().toString())))) {
                notification(token).body(bad).when().post("/v1/marketing/messages").then().statusCode(400)
                        .contentType("application/problem+json");
            }
            // a subject's token, or a service's without the scope, cannot send marketing
            notification(yes.access()).body(offer("w26", yes.id(), no.id())).when().post("/v1/marketing/messages")
                    .then().statusCode(403);

            String first = "w26-" + UUID.randomUUID().toString().substring(0, 6);
            JsonPath sent = notification(token).header("Idempotency-Key", UUID.randomUUID().toString())
                    .body(offer(first, yes.id(), no.id())).when().post("/v1/marketing/messages").then().statusCode(201)
                    .header("Location", org.hamcrest.Matchers.containsString("/v1/marketing/messages/"))
                    .extract().jsonPath();
            UUID message = UUID.fromString(sent.getString("messageId"));
            assertThat(sent.getList("notices")).hasSize(2);

            Mailboxes.Mail mail = Mailboxes.await(yes.email(), m -> m.text().contains(first), Duration.ofSeconds(90));
            Matcher link = Pattern.compile("(https?://\\S+/v1/unsubscribe\\?token=[\\w.-]+)").matcher(mail.text());
            assertThat(link.find()).as("one-click unsubscribe link in the offer").isTrue();
            // no email-tracking consent: the offer links straight to the page, with no tracking redirect or pixel
            assertThat(mail.text()).contains("https://offers.example/" + first).doesNotContain("/v1/tracking/");

            // the subject who never consented got nothing; the team sees why, counted, without any contact value
            JsonPath outcome = awaitOutcome(token, message, 2);
            assertThat(outcome.getLong("deliveries.SENT")).isEqualTo(1);
            assertThat(outcome.getLong("failedBecause.NOT_PERMITTED")).isEqualTo(1);
            assertThat(outcome.prettify()).doesNotContain(no.email()).doesNotContain(yes.email());

            // the link (RFC 8058 one-click, through the gateway as a mail client follows it) works without logging in,
            // and consent-service's ledger records the withdrawal, signalled by the link
            String url = link.group(1).replace("&amp;", "&").replace("https://pledge.local", PledgeSystem.GATEWAY);
            given().relaxedHTTPSValidation().contentType("application/x-www-form-urlencoded")
                    .formParam("List-Unsubscribe", "One-Click").when().post(url).then().statusCode(200);
            List<Map<String, Object>> records = given().baseUri(PledgeSystem.CONSENT.url()).auth().oauth2(yes.access())
                    .queryParam("size", 500).when().get("/v1/consents/{s}/records", yes.id()).then().statusCode(200)
                    .extract().jsonPath().getList("items");
            assertThat(records).filteredOn(r -> "marketing-email".equals(r.get("purposeId"))).extracting(r -> r.get("status"))
                    .containsExactly("GIVEN", "WITHDRAWN");

            // the next offer reaches nobody
            String second = "w27-" + UUID.randomUUID().toString().substring(0, 6);
            UUID again = UUID.fromString(notification(token).body(offer(second, yes.id(), no.id()))
                    .when().post("/v1/marketing/messages").then().statusCode(201).extract().path("messageId"));
            JsonPath none = awaitOutcome(token, again, 2);
            assertThat(none.getLong("failedBecause.NOT_PERMITTED")).isEqualTo(2);
            assertThat(none.getMap("deliveries")).doesNotContainKey("SENT");

            // another team cannot read this team's message
            notification(Clients.service("rights-request-service", "notification-service",
                    List.of("notification.export:read"))).when().get("/v1/marketing/messages/{id}", message).then()
                    .statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(403), org.hamcrest.Matchers.is(404)));
        } finally {
            Holders.offboard(team);
        }
    }

    private static Map<String, Object> registration(String id, List<String> purposes) {
        return Map.of("id", id, "kind", "DOWNSTREAM", "categories", List.of("contact"), "purposes", purposes,
                "region", "CN", "channel", "KAFKA",
                "agreement", Map.of("matters", "marketing campaigns", "period", "P1Y", "nature", "processing",
                        "purpose", purposes.get(0), "responsibilities", "stop on withdrawal, erase on request",
                        "documentRef", "DPA-223"),
                "ackSlaSeconds", 3600, "signingKeys", List.of(ExternalHolder.publicJwk(id)),
                "oauthScopes", List.of("marketing:send"));
    }

    private static Map<String, Object> offer(String offerId, UUID... subjects) {
        return Map.of("offerId", offerId, "offerUrl", "https://offers.example/" + offerId, "channels", List.of("EMAIL"),
                "subjectIds", java.util.Arrays.stream(subjects).map(UUID::toString).toList());
    }

    /** Waits until every one of the message's deliveries has an outcome (sent, failed or cancelled). */
    private static JsonPath awaitOutcome(String token, UUID message, int notices) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            last[0] = notification(token).when().get("/v1/marketing/messages/{id}", message).then().statusCode(200)
                    .extract().jsonPath();
            Map<String, Integer> d = last[0].getMap("deliveries");
            int done = d.getOrDefault("SENT", 0) + d.getOrDefault("FAILED", 0) + d.getOrDefault("CANCELLED", 0);
            return done == notices;
        });
        return last[0];
    }

    private static RequestSpecification rights(String token) {
        return given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static RequestSpecification notification(String token) {
        return given().baseUri(PledgeSystem.NOTIFICATION.url()).auth().oauth2(token).contentType(ContentType.JSON);
    }
}
