package io.pledge.e2e;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Time from a verified deletion to its certificate, with the five internal holders and one external
 * holder on plain Kafka clients: one request at a time, then 100 at once. Measured between the
 * request's own {@code verifiedAt} and {@code completedAt} (both recorded by rights-request-service,
 * so polling does not add to them). A benchmark, not a proof: run it with {@code deploy/local/bench
 * rights}, which prints a pgbench baseline from the same run beside it.
 */
@ExtendWith(PledgeSystem.class)
@Tag("benchmark")
class RightsBenchmarkIT {

    private static final int SEQUENTIAL = Integer.getInteger("pledge.bench.sequential", 10);
    private static final int CONCURRENT = Integer.getInteger("pledge.bench.concurrent", 100);

    @Test
    void verifiedDeletionToCertificate() throws Exception {
        String external = "bench-" + PledgeSystem.RUN;
        ExternalHolder.registered(external, given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(Subjects.officer())
                .contentType(ContentType.JSON)
                .body(Map.of("id", external, "kind", "DOWNSTREAM", "categories", List.of("account", "contact"),
                        "purposes", List.of("profiling"), "region", "CN", "channel", "KAFKA", "ackSlaSeconds", 3600,
                        "signingKeys", List.of(ExternalHolder.publicJwk(external))))
                .when().post("/v1/holders").then().statusCode(201).extract().path("kafka"));
        StringBuilder report = new StringBuilder();
        try (ExternalHolder holder = new ExternalHolder(external, c -> "ERASED")) {
            ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
            List<Subjects.Person> people = register(SEQUENTIAL + CONCURRENT + 1);
            one(people.get(0)); // warm-up

            List<Long> sequential = new ArrayList<>();
            for (int i = 1; i <= SEQUENTIAL; i++) {
                sequential.add(one(people.get(i)));
            }
            report.append(line("1 request at a time", sequential));

            List<Future<Long>> running = new ArrayList<>();
            Instant start = Instant.now();
            for (int i = SEQUENTIAL + 1; i < people.size(); i++) {
                Subjects.Person p = people.get(i);
                running.add(pool.submit(() -> one(p)));
            }
            List<Long> concurrent = new ArrayList<>();
            for (Future<Long> f : running) {
                concurrent.add(f.get());
            }
            report.append(line(CONCURRENT + " concurrent requests", concurrent));
            report.append(String.format("%d concurrent requests all certified in %.1f s%n", CONCURRENT,
                    Duration.between(start, Instant.now()).toMillis() / 1000.0));
            pool.shutdown();
        } finally {
            given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(Subjects.officer())
                    .when().post("/v1/holders/{id}/offboarding", external);
        }
        System.out.println("BENCH\n" + report);
        Files.writeString(Path.of("target/rights-benchmark.txt"), report.toString());
    }

    /** Registers with 4 at a time: each registration hashes a password with Argon2id (19 MiB). */
    private static List<Subjects.Person> register(int n) throws Exception {
        ExecutorService few = Executors.newFixedThreadPool(4);
        List<Future<Subjects.Person>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            fs.add(few.submit(() -> Subjects.register("bench" + k)));
        }
        few.shutdown();
        List<Subjects.Person> out = new ArrayList<>();
        for (Future<Subjects.Person> f : fs) {
            out.add(f.get());
        }
        return out;
    }

    /** Submits and verifies a deletion, waits for its certificate; returns verifiedAt → completedAt in ms. */
    private static long one(Subjects.Person p) throws Exception {
        JsonPath submitted = given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(p.access())
                .contentType(ContentType.JSON).body(Map.of("type", "DELETION", "ground", "6.3.4"))
                .when().post("/v1/requests").then().statusCode(201).extract().jsonPath();
        UUID id = UUID.fromString(submitted.getString("request.requestId"));
        String code = Subjects.code(UUID.fromString(submitted.getString("verification.verificationId")));
        given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(p.access()).contentType(ContentType.JSON)
                .body(Map.of("code", code)).when().post("/v1/requests/{id}/verification", id).then().statusCode(200);
        long deadline = System.currentTimeMillis() + 300_000;
        while (System.currentTimeMillis() < deadline) {
            JsonPath v = given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(p.access())
                    .when().get("/v1/requests/{id}", id).then().statusCode(200).extract().jsonPath();
            if ("COMPLETED".equals(v.getString("status")) && v.getString("certificateId") != null) {
                return Duration.between(Instant.parse(v.getString("verifiedAt")),
                        Instant.parse(v.getString("completedAt"))).toMillis();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("request " + id + " not certified within 5 minutes");
    }

    private static String line(String what, List<Long> ms) {
        List<Long> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        long p50 = sorted.get((int) Math.floor(0.50 * (sorted.size() - 1)));
        long p99 = sorted.get((int) Math.ceil(0.99 * (sorted.size() - 1)));
        return String.format("verified deletion -> certificate, %s: p50 %d ms, p99 %d ms, max %d ms (n=%d)%n", what,
                p50, p99, sorted.get(sorted.size() - 1), sorted.size());
    }
}
