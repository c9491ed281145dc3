package io.pledge.account.verification;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue 17.5: X-Forwarded-For from a peer that is not a trusted proxy is ignored. This run trusts only a
 * documentation network (192.0.2.0/24), so the test client on 127.0.0.1 is an ordinary client: however it rotates
 * the header, its code requests count under its own address, and the per-address limit stops it. Real server and
 * database; the trusted-proxy list is the one thing this profile sets.
 */
@QuarkusTest
@TestProfile(UntrustedProxyTest.NoTrustedLoopback.class)
class UntrustedProxyTest {

    /** 127.0.0.1 is not a trusted proxy in this run. */
    public static class NoTrustedLoopback implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pledge.http.trusted-proxies", "192.0.2.0/24");
        }
    }

    @Test
    void aSpoofedForwardedForFromAnUntrustedPeerDoesNotEscapeThePerAddressLimit() {
        int accepted = 0;
        Response last = null;
        // per-address is 20 per window; 25 requests, each claiming another address, each for another unknown login
        for (int i = 0; i < 25; i++) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            last = RestAssured.given().contentType(ContentType.JSON)
                    .header("X-Forwarded-For", "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(1, 255))
                    .body(Map.of("purpose", "LOGIN", "login", "nobody-" + UUID.randomUUID() + "@example.com"))
                    .post("/v1/verifications");
            if (last.statusCode() == 202) {
                accepted++;
            } else {
                assertThat(last.statusCode()).isEqualTo(429);
            }
        }
        // all of them counted under 127.0.0.1 (earlier requests of this run from it may have used some of the 20)
        assertThat(accepted).isLessThanOrEqualTo(20);
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.header("Retry-After")).isNotNull();
    }
}
