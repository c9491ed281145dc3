package io.pledge.account;

import static io.restassured.RestAssured.given;

import io.agroal.api.AgroalDataSource;
import io.pledge.account.login.PasswordHasher;
import io.pledge.account.support.Api;
import io.pledge.kit.testing.Db;
import io.pledge.account.token.TokenIssuer;
import io.quarkus.test.junit.QuarkusTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Registration, subject login and staff login (password and TOTP) throughput and p99 over real HTTP, PostgreSQL and Kafka, with the Argon2id
 * cost and engine named, and the holder contact lookup for batches of 1,000; beside a primary-key read baseline
 * measured in the same run (MACHINE.md: quote ratios, the machine is shared). Logins are measured three ways: from
 * RestAssured (4 threads, the figure quoted before issue 19), from the JDK's HTTP client after a warm-up (4 threads,
 * the service's rate with a lighter load generator on the same cores), and started at 22.5/s in an open loop (issue
 * 19's p99 goal at half its rate); the hash alone on 1, 2 and 4 threads. Excluded from the default build; run with
 * {@code deploy/local/bench account}.
 */
@QuarkusTest
@Tag("benchmark")
class AccountBenchmark {

    static final int THREADS = 4;

    @Inject
    TokenIssuer issuer;

    @Inject

    io.pledge.account.token.ClientGrants grants;
    @Inject
    PasswordHasher hasher;
    @Inject
    AgroalDataSource db;
    @Inject
    io.pledge.account.support.StaffAccounts staff;

    record Run(String name, int n, double seconds, Histogram h) {
        void print() {
            System.out.printf("BENCH %-28s n=%5d  %8.1f ops/s  p50=%6.1f ms  p99=%6.1f ms  max=%6.1f ms%n", name, n,
                    n / seconds, h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                    h.getMaxValue() / 1000.0);
        }
    }

    static Run measure(String name, int n, IntConsumer op) throws Exception {
        return measure(name, n, THREADS, op);
    }

    static Run measure(String name, int n, int threads, IntConsumer op) throws Exception {
        Histogram h = new Histogram(60_000_000L, 3);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        System.out.println("PHASE " + name + " from " + System.currentTimeMillis());
        long start = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            fs.add(pool.submit(() -> {
                long t = System.nanoTime();
                op.accept(k);
                synchronized (h) {
                    h.recordValue((System.nanoTime() - t) / 1000);
                }
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.println("PHASE " + name + " to " + System.currentTimeMillis());
        pool.shutdown();
        Run r = new Run(name, n, s, h);
        r.print();
        return r;
    }

    /**
     * {@code n} operations started at {@code perSecond}, each on its own thread when its time comes (an open loop:
     * a slow answer does not delay the next start), its latency counted from when it was due to start, so that a
     * queue is measured rather than hidden.
     */
    static Run paced(String name, int n, double perSecond, IntConsumer op) throws Exception {
        Histogram h = new Histogram(60_000_000L, 3);
        ExecutorService pool = Executors.newCachedThreadPool();
        System.out.println("PHASE " + name + " from " + System.currentTimeMillis());
        long start = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long due = start + (long) (i * 1e9 / perSecond);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            int k = i;
            fs.add(pool.submit(() -> {
                op.accept(k);
                synchronized (h) {
                    h.recordValue((System.nanoTime() - due) / 1000);
                }
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.println("PHASE " + name + " to " + System.currentTimeMillis());
        pool.shutdown();
        Run r = new Run(name, n, s, h);
        r.print();
        return r;
    }

    @Test
    void registrationLoginAndContactLookup() throws Exception {
        Api api = new Api(issuer, grants, staff);
        System.out.println("BENCH password hash: " + hasher.cost() + " (" + hasher.engine() + ", " + hasher.concurrency()
                + " at once); " + THREADS + " client threads; " + Runtime.getRuntime().availableProcessors() + " cores");
        measure("baseline pk read (jdbc)", 2000, i -> Db.count(db, "select count(*) from account where id = ?", UUID.randomUUID()));
        int n = 200;
        List<Map<String, Object>> people = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            people.add(Api.registration("bench", LocalDate.of(1990, 1, 1)));
        }
        List<String> ids = new ArrayList<>(java.util.Collections.nCopies(n, (String) null));
        // each person from an address of their own (X-Forwarded-For through the trusted proxy), as many users are:
        // one address's attempts in flight count towards its limit until they succeed
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            addresses.add(Api.newAddress());
        }
        measure("registration (POST /v1/accounts)", n, i -> ids.set(i, Api.from(addresses.get(i)).body(people.get(i))
                .when().post("/v1/accounts").then().statusCode(201).extract().path("subjectId")));
        // activate them directly (codes are not what is measured)
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update account set status = 'ACTIVE', mobile_verified_at = now(), email_verified_at = now() where id = ?")) {
            for (String id : ids) {
                ps.setObject(1, UUID.fromString(id));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        IntConsumer login = i -> Api.from(addresses.get(i % n))
                .body(Map.of("login", people.get(i % n).get("mobile"), "password", people.get(i % n).get("password")))
                .when().post("/v1/sessions").then().statusCode(201);
        measure("login (POST /v1/sessions)", n, login);
        // The same logins from the JDK's HTTP client: the load generator shares these 2 cores with the service, and
        // RestAssured (Groovy) costs about as much CPU as the service's own work besides the hash. A running service is
        // warm, so the JIT compiles the login path first (a cold JVM spends about a third of a core compiling here).
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI sessions = URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/v1/sessions");
        ObjectMapper json = new ObjectMapper();
        IntConsumer lightLogin = i -> {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(sessions)
                        .header("Content-Type", "application/json").header("X-Forwarded-For", addresses.get(i % n))
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of(
                                "login", people.get(i % n).get("mobile"), "password", people.get(i % n).get("password")))))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("login answered " + r.statusCode() + ": " + r.body());
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        };
        measure("warm-up (JDK client, unmeasured)", 2 * n, lightLogin);
        measure("login, JDK client, warm", 2 * n, lightLogin);
        // issue 19's latency goal: p99 at half the throughput goal (45 logins/s on 2 cores), started at that rate
        paced("login at 22.5/s (open loop)", 300, 22.5, lightLogin);
        // staff sign-in (password + TOTP) beside the subject login: enrolled members, each signing in once with a code
        // of a step it has not used (the setup, two hashes per member, is not measured)
        int staffN = 60;
        List<io.pledge.account.support.StaffAccounts.Member> members = new ArrayList<>();
        for (int i = 0; i < staffN; i++) {
            members.add(staff.enrol(staff.invite(io.pledge.kit.security.Roles.SUPPORT_AGENT)));
        }
        measure("staff login (password+TOTP)", staffN, i -> staff.login(members.get(i), members.get(i).nextCode())
                .statusCode(201));
        List<UUID> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(UUID.fromString(ids.get(i % n)));
        }
        // 1,000 distinct ids: the registered ones and unknown ones
        List<UUID> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(batch));
        while (distinct.size() < 1000) {
            distinct.add(UUID.randomUUID());
        }
        String holder = api.holderToken("notification-service");
        Run lookup = measure("contact lookup, batch of 1000", 40, i -> given().auth().oauth2(holder).contentType(ContentType.JSON)
                .body(Map.of("purposeId", "service-notice", "subjectIds", distinct)).when()
                .post("/internal/v1/contacts").then().statusCode(200));
        System.out.printf("BENCH contact lookup: %.0f subjects/s (%d answered with values per batch)%n",
                lookup.n() * 1000 / lookup.seconds(), n);
        measure("argon2id hash alone", 50, i -> hasher.hash("password-" + i));
        measure("argon2id hash alone, 1 thread", 40, 1, i -> hasher.hash("password-" + i));
        measure("argon2id hash alone, 2 threads", 60, 2, i -> hasher.hash("password-" + i));
    }
}
