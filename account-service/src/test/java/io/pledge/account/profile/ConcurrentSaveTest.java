package io.pledge.account.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.pledge.account.support.Api;
import io.pledge.kit.testing.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two saves of the same profile (or payment profile) at once, over real HTTP against the real database: each
 * answer is a success or the 409 conflict problem, never a 5xx, and what is stored afterwards is exactly one of the
 * two bodies, never a mix. Each round starts with no profile stored (deleted in SQL), the case in which both saves
 * would insert one; the rounds are repeated to hit the race. Nothing is faked.
 */
@QuarkusTest
class ConcurrentSaveTest {

    private static final int ROUNDS = 15;

    @Inject
    AgroalDataSource db;
    @Inject
    Api api;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void twoProfileSavesAtOnceLeaveOneOfThemAndNoServerError() throws Exception {
        Api.Person p = api.adult("race");
        for (int round = 0; round < ROUNDS; round++) {
            Db.exec(db, "delete from profile where subject_id = ?", p.id());
            Map<String, Object> a = profile("a" + round);
            Map<String, Object> b = profile("b" + round);
            race(p, "/v1/accounts/{id}/profile", a, b);
            Map<String, Object> stored = Api.as(p).when().get("/v1/accounts/{id}", p.id()).then().statusCode(200)
                    .extract().jsonPath().getMap("profile");
            stored.remove("locale");
            assertThat(stored).as("round %d", round).isIn(withoutLocale(a), withoutLocale(b));
        }
    }

    @Test
    void twoPaymentProfileSavesAtOnceLeaveOneOfThemAndNoServerError() throws Exception {
        Api.Person p = api.adult("payrace");
        for (int round = 0; round < ROUNDS; round++) {
            Db.exec(db, "delete from payment_profile where subject_id = ?", p.id());
            Map<String, Object> a = payment("a" + round);
            Map<String, Object> b = payment("b" + round);
            race(p, "/v1/accounts/{id}/payment-profile", a, b);
            Map<String, Object> stored = Api.as(p).when().get("/v1/accounts/{id}/payment-profile", p.id()).then()
                    .statusCode(200).extract().jsonPath().getMap("profile");
            assertThat(stored).as("round %d", round).isIn(a, b);
        }
    }

    /** Sends both PUTs released by one latch; each answer is 200 or the conflict problem. */
    private void race(Api.Person p, String path, Map<String, Object> a, Map<String, Object> b) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        Function<Map<String, Object>, Future<Response>> put = body -> pool.submit(() -> {
            start.await();
            return Api.as(p).body(body).when().put(path, p.id());
        });
        List<Future<Response>> answers = new ArrayList<>(List.of(put.apply(a), put.apply(b)));
        start.countDown();
        for (Future<Response> f : answers) {
            Response r = f.get();
            assertThat(r.statusCode()).as(r.asString()).isIn(200, 409);
            if (r.statusCode() == 409) {
                assertThat(r.contentType()).isEqualTo(Api.PROBLEM);
                assertThat(r.jsonPath().getString("type")).isEqualTo("urn:pledge:problem:conflict");
            }
        }
    }

    private static Map<String, Object> profile(String tag) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("province", "Province " + tag);
        m.put("city", "City " + tag);
        m.put("nickname", "nick-" + tag + "-" + UUID.randomUUID().toString().substring(0, 6));
        m.put("address", "Road " + tag);
        m.put("qq", "1234" + (tag.startsWith("a") ? "5" : "6") + tag.substring(1));
        m.put("website", "https://example.org/" + tag);
        return m;
    }

    private static Map<String, Object> withoutLocale(Map<String, Object> m) {
        Map<String, Object> copy = new LinkedHashMap<>(m);
        copy.remove("locale");
        return copy;
    }

    private static Map<String, Object> payment(String tag) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", tag.startsWith("a") ? "ALIPAY" : "WECHAT_PAY");
        m.put("providerToken", "agr-" + tag + "-" + UUID.randomUUID());
        m.put("accountHolder", "Holder " + tag);
        m.put("invoiceTitle", "Invoice " + tag);
        m.put("taxId", "91310000MA1K" + tag.toUpperCase() + "00");
        m.put("billingAddress", "Billing Road " + tag);
        return m;
    }
}
