package io.pledge.account.verification;

import static io.pledge.account.support.Api.PROBLEM;
import static io.pledge.account.support.Api.from;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.pledge.account.support.Api;
import io.pledge.kit.testing.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 17.5, brute force is bounded: bursts of parallel requests against the real endpoints, on the real database.
 * Limits are counted atomically, so however many requests arrive at once, no more than the limit are evaluated; a
 * locked account answers like an unknown one; rate limits answer 429 problem+json with Retry-After. The requests come
 * from 127.0.0.1 (a trusted proxy, like the gateway) with the client address in X-Forwarded-For. Nothing is faked.
 */
@QuarkusTest
@Tag("clause-2.1.1.1")
class BruteForceTest {

    /** {@code pledge.account.codes.guesses-per-address}, {@code .per-contact}, {@code login.max-failures}, {@code .per-address}. */
    private static final int GUESSES_PER_ADDRESS = 30;
    private static final int CODES_PER_CONTACT = 5;
    private static final int MAX_FAILURES = 5;
    private static final int LOGIN_FAILURES_PER_ADDRESS = 20;

    @Inject
    AgroalDataSource db;

    @Inject
    Api api;

    /** {@code n} calls released at once from a pool of {@code n} threads; their answers. */
    private static List<Response> burst(int n, IntFunction<Response> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.apply(k);
                }));
            }
            go.countDown();
            List<Response> out = new ArrayList<>();
            for (Future<Response> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long count(List<Response> answers, int status) {
        return answers.stream().filter(r -> r.statusCode() == status).count();
    }

    private static void assertRateLimited(Response r) {
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.contentType()).startsWith(PROBLEM);
        assertThat(r.jsonPath().getString("type")).isEqualTo("urn:pledge:problem:too-many-requests");
        assertThat(Long.parseLong(r.header("Retry-After"))).isPositive();
    }

    private static Response guess(UUID notice, String code, String address) {
        return from(address).body(Map.of("purpose", "REGISTRATION", "code", code))
                .post("/v1/verifications/{id}/confirmation", notice);
    }

    private static String wrong(String right) {
        return right.equals("111111") ? "222222" : "111111";
    }

    @Test
    void fortyParallelWrongGuessesOfOneCodeFromManyAddressesSpendExactlyItsTriesAndTheRightCodeThenFails()
            throws Exception {
        JsonPath reg = api.register(Api.registration("burst", LocalDate.of(1990, 1, 1)), Api.newAddress());
        UUID notice = Api.verificationId(reg, "MOBILE");
        String right = api.code(notice);
        List<Response> answers = burst(40, i -> guess(notice, wrong(right), Api.newAddress()));
        assertThat(count(answers, 422)).isEqualTo(40);
        // at most max-attempts were compared, however many arrived at once
        assertThat(Db.count(db, "select attempts from verification_code where id = ?", notice)).isEqualTo(5);
        guess(notice, right, Api.newAddress()).then().statusCode(422).contentType(PROBLEM);
        assertThat(Db.string(db, "select status from account where id = ?", UUID.fromString(reg.getString("subjectId"))))
                .isEqualTo("PENDING_VERIFICATION");
    }

    @Test
    void fortyParallelGuessesFromOneAddressAreEvaluatedAtMostTheAddressLimit() throws Exception {
        String attacker = Api.newAddress();
        // eight codes of eight registrations, guessed five times each from one address, all at once
        List<UUID> notices = new ArrayList<>();
        Map<UUID, String> rights = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            JsonPath reg = api.register(Api.registration("one", LocalDate.of(1990, 1, 1)), Api.newAddress());
            UUID n = Api.verificationId(reg, "MOBILE");
            notices.add(n);
            rights.put(n, api.code(n));
        }
        List<Response> answers = burst(40, i -> guess(notices.get(i % 8), wrong(rights.get(notices.get(i % 8))), attacker));
        assertThat(count(answers, 422)).isEqualTo(GUESSES_PER_ADDRESS);
        assertThat(count(answers, 429)).isEqualTo(40 - GUESSES_PER_ADDRESS);
        answers.stream().filter(r -> r.statusCode() == 429).forEach(BruteForceTest::assertRateLimited);
        long compared = 0;
        for (UUID n : notices) {
            compared += Db.count(db, "select attempts from verification_code where id = ?", n);
        }
        assertThat(compared).isEqualTo(GUESSES_PER_ADDRESS);
        // the address is out of guesses, even for a right code; another address is not
        UUID fresh = notices.stream().filter(n -> Db.count(db, "select attempts from verification_code where id = ?", n) < 5)
                .findFirst().orElseThrow();
        assertRateLimited(guess(fresh, rights.get(fresh), attacker));
        guess(fresh, rights.get(fresh), Api.newAddress()).then().statusCode(200);
    }

    @Test
    void fortyParallelCodeRequestsForOneLoginSendAtMostThePerContactLimit() throws Exception {
        Api.Person p = api.adult("codes");
        // registration sent the email one code already: the window has room for four more
        int room = CODES_PER_CONTACT - 1;
        List<Response> answers = burst(40, i -> from(Api.newAddress())
                .body(Map.of("purpose", "LOGIN", "login", p.email())).post("/v1/verifications"));
        assertThat(count(answers, 202)).isEqualTo(room);
        assertThat(count(answers, 429)).isEqualTo(40 - room);
        answers.stream().filter(r -> r.statusCode() == 429).forEach(BruteForceTest::assertRateLimited);
        assertThat(Db.count(db, "select count(*) from verification_code where subject_id = ? and purpose = 'LOGIN'", p.id()))
                .isEqualTo(room);
    }

    @Test
    void parallelWrongPasswordsLockTheAccountAfterExactlyMaxFailures() throws Exception {
        Api.Person p = api.adult("plock");
        // one short of the limit, all at once: not locked, and the right password clears the count
        List<Response> fewer = burst(MAX_FAILURES - 1, i -> from(Api.newAddress())
                .body(Map.of("login", p.mobile(), "password", "wrong-password-" + i)).post("/v1/sessions"));
        assertThat(count(fewer, 401)).isEqualTo(MAX_FAILURES - 1);
        api.login(p.mobile(), p.password()).statusCode(201);
        // the limit and more, all at once: locked, so the right password is refused too
        List<Response> more = burst(3 * MAX_FAILURES, i -> from(Api.newAddress())
                .body(Map.of("login", p.mobile(), "password", "wrong-password-" + i)).post("/v1/sessions"));
        assertThat(count(more, 401)).isEqualTo(3 * MAX_FAILURES);
        assertThat(Db.string(db, "select (locked_until > now())::text from account where id = ?", p.id())).isEqualTo("true");
        api.login(p.mobile(), p.password()).statusCode(401);
    }

    @Test
    void aLockedAccountAnswersExactlyLikeAnUnknownLoginOrAWrongPassword() {
        Api.Person p = api.adult("same");
        Response wrong = null;
        for (int i = 0; i < MAX_FAILURES; i++) {
            wrong = from(Api.newAddress()).body(Map.of("login", p.email(), "password", "wrong-password-" + i)).post("/v1/sessions");
        }
        Response locked = from(Api.newAddress()).body(Map.of("login", p.email(), "password", p.password())).post("/v1/sessions");
        Response unknown = from(Api.newAddress())
                .body(Map.of("login", "nobody-" + UUID.randomUUID() + "@example.com", "password", p.password())).post("/v1/sessions");
        for (Response r : List.of(wrong, locked, unknown)) {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.contentType()).isEqualTo(unknown.contentType());
            assertThat(r.header("WWW-Authenticate")).isEqualTo(unknown.header("WWW-Authenticate"));
            assertThat(r.header("Retry-After")).isNull();
            Map<String, Object> body = new HashMap<>(r.jsonPath().getMap(""));
            Map<String, Object> expected = new HashMap<>(unknown.jsonPath().getMap(""));
            body.remove("instance");
            expected.remove("instance");
            assertThat(body).isEqualTo(expected);
        }
        assertThat(locked.jsonPath().getString("detail")).isEqualTo("The login id or the password is wrong.");
    }

    @Test
    void failedLoginsAreLimitedPerClientAddressWhateverTheAccount() throws Exception {
        String attacker = Api.newAddress();
        Api.Person p = api.adult("addr");
        int n = LOGIN_FAILURES_PER_ADDRESS + 6;
        List<Response> answers = burst(n, i -> from(attacker)
                .body(Map.of("login", "spray-" + i + "-" + UUID.randomUUID() + "@example.com", "password", "Guess-1234567"))
                .post("/v1/sessions"));
        assertThat(count(answers, 401)).isEqualTo(LOGIN_FAILURES_PER_ADDRESS);
        assertThat(count(answers, 429)).isEqualTo(n - LOGIN_FAILURES_PER_ADDRESS);
        answers.stream().filter(r -> r.statusCode() == 429).forEach(BruteForceTest::assertRateLimited);
        // from that address even a right password is not tried; from another it works
        assertRateLimited(api.login(p.mobile(), p.password(), attacker).extract().response());
        api.login(p.mobile(), p.password()).statusCode(201);
    }

    @Test
    void xForwardedForFromTheTrustedGatewayCountsTheRightMostAddressNotWhatTheClientWrote() {
        String client = Api.newAddress();
        // a client rotating a spoofed left-most address gets nothing for it: the gateway appended the real one
        int accepted = 0;
        Response last = null;
        for (int i = 0; i < 21; i++) {
            last = io.restassured.RestAssured.given().contentType(io.restassured.http.ContentType.JSON)
                    .header("X-Forwarded-For", Api.newAddress() + ", " + client)
                    .body(Map.of("purpose", "LOGIN", "login", "nobody-" + UUID.randomUUID() + "@example.com"))
                    .post("/v1/verifications");
            if (last.statusCode() == 202) {
                accepted++;
            }
        }
        assertThat(accepted).isEqualTo(20);
        assertRateLimited(last);
        // and distinct right-most addresses are distinct clients
        from(Api.newAddress()).body(Map.of("purpose", "LOGIN", "login", "nobody-" + UUID.randomUUID() + "@example.com"))
                .post("/v1/verifications").then().statusCode(202);
    }
}
