package io.pledge.e2e;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.Map;

/** A downstream team as the holder registry sees it in the e2e system: its client token, and its offboarding. */
final class Holders {

    private Holders() {
    }

    /** The team's token at {@code audience}, from the OAuth client its registration answered (client credentials, HTTP Basic). */
    static String clientToken(Map<String, Object> oauth, String audience) {
        return given().auth().preemptive().basic((String) oauth.get("clientId"), (String) oauth.get("clientSecret"))
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("audience", audience).when().post((String) oauth.get("tokenEndpoint"))
                .then().statusCode(200).extract().path("access_token");
    }

    /** Offboards the holder by a real privacy officer; one already offboarding or offboarded is fine (409). */
    static void offboard(String holderId) throws Exception {
        given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(Subjects.officer()).contentType(ContentType.JSON)
                .when().post("/v1/holders/{id}/offboarding", holderId).then()
                .statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(202), org.hamcrest.Matchers.is(409)));
    }
}
