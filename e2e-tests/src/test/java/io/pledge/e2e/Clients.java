package io.pledge.e2e;

import static io.restassured.RestAssured.given;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Client tokens of the whole-system tests, obtained exactly as a client obtains them: the OAuth 2.0
 * client-credentials grant at account-service's {@code POST /v1/oauth/token} with the client's own secret. A test
 * that plays one of Pledge's services (e.g. notification-service fetching a notice's code) uses that service's
 * secret from the e2e data folder, where the service itself keeps it; a downstream team uses the secret the
 * registry handed it. No token is signed by a test.
 */
final class Clients {

    private static final Map<String, String> CACHE = new HashMap<>();

    private Clients() {
    }

    /** A token of Pledge service {@code client} for {@code audience} with those scopes (cached for a minute). */
    static synchronized String service(String client, String audience, List<String> scopes) throws Exception {
        String key = client + " " + audience + " " + scopes;
        String cached = CACHE.get(key);
        if (cached != null && !expiresWithinAMinute(cached)) {
            return cached;
        }
        String secret = Files.readString(PledgeSystem.dataDir().resolve("client-secrets").resolve(client)).trim();
        String token = token(client, secret, audience, scopes);
        CACHE.put(key, token);
        return token;
    }

    /** A token for {@code clientId} with {@code secret}, at {@code audience} with those scopes; fails unless 200. */
    static String token(String clientId, String secret, String audience, List<String> scopes) {
        return given().baseUri(PledgeSystem.ACCOUNT.url()).auth().preemptive().basic(clientId, secret)
                .contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("audience", audience)
                .formParam("scope", String.join(" ", scopes))
                .when().post("/v1/oauth/token").then().statusCode(200).extract().path("access_token");
    }

    private static boolean expiresWithinAMinute(String jwt) {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"exp\"\\s*:\\s*(\\d+)").matcher(payload);
        return !m.find() || Long.parseLong(m.group(1)) * 1000 < System.currentTimeMillis() + 60_000;
    }
}
