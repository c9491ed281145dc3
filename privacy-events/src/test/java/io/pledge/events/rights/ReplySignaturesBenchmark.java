package io.pledge.events.rights;

import io.pledge.events.EventJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (tag {@code benchmark}; run with {@code deploy/local/bench replies}): the cost per reply of
 * signing (canonical statement + signature) and of verifying it, with Ed25519 and with P-256, the key used as
 * rights-request-service uses it (parsed from the registered JWK on every verification) and pre-parsed; beside the
 * cost of what every reply already pays, one JSON write and read of the event (EventJson), measured in the same run.
 * Pure CPU, one thread, real JCA keys. Writes {@code target/replysignatures-benchmark.txt}.
 */
@Tag("benchmark")
class ReplySignaturesBenchmark {

    private static final int WARMUP = Integer.getInteger("pledge.bench.warmup", 5_000);
    private static final int OPS = Integer.getInteger("pledge.bench.ops", 20_000);

    private static HolderReplied reply(int i) {
        return new HolderReplied(UUID.randomUUID(), "partner-sg-analytics", UUID.randomUUID(), "ErasureRequested",
                i % 2 == 0 ? "ERASED" : "RETAINED", Map.of("usage", 1204 + i, "profile", 1),
                i % 2 == 0 ? null : List.of(new HolderReplied.RetainedItem("billing", "ACCOUNTING_LAW",
                        LocalDate.parse("2036-12-31"))), null, null, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    /** p50, p99 and mean in µs of {@code op} over {@link #OPS} calls after {@link #WARMUP}. */
    private static String measure(String name, Supplier<Object> op) {
        for (int i = 0; i < WARMUP; i++) {
            op.get();
        }
        long[] ns = new long[OPS];
        Object sink = null;
        for (int i = 0; i < OPS; i++) {
            long t = System.nanoTime();
            sink = op.get();
            ns[i] = System.nanoTime() - t;
        }
        if (sink == null) {
            throw new IllegalStateException(name + " produced nothing");
        }
        double mean = Arrays.stream(ns).average().orElse(0) / 1000.0;
        Arrays.sort(ns);
        return String.format(Locale.ROOT, "%-52s mean %8.1f µs  p50 %8.1f µs  p99 %8.1f µs", name, mean,
                ns[OPS / 2] / 1000.0, ns[(int) (OPS * 0.99)] / 1000.0);
    }

    @Test
    void signAndVerifyPerReply() throws Exception {
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ec = g.generateKeyPair();
        StringBuilder report = new StringBuilder("reply signatures, per reply, one thread, " + OPS + " ops after "
                + WARMUP + " warm-up (Java " + System.getProperty("java.version") + ")\n");
        HolderReplied[] replies = new HolderReplied[1024];
        for (int i = 0; i < replies.length; i++) {
            replies[i] = reply(i);
        }
        int[] n = {0};
        Supplier<HolderReplied> next = () -> replies[n[0]++ & 1023];
        String baseline = measure("baseline: EventJson write + read of the reply", () -> {
            try {
                return EventJson.mapper().readValue(EventJson.mapper().writeValueAsBytes(next.get()), HolderReplied.class);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        report.append(baseline).append('\n');
        report.append(measure("canonical statement (RFC 8785) alone", () -> next.get().signingInput())).append('\n');
        for (KeyPair pair : List.of(ed, ec)) {
            String alg = ReplySignatures.jwsAlgorithm(pair.getPublic());
            String kid = ReplySignatures.thumbprintOf(pair.getPublic());
            Map<String, Object> jwk = ReplySignatures.jwk(pair.getPublic(), kid);
            HolderReplied[] signed = new HolderReplied[replies.length];
            for (int i = 0; i < replies.length; i++) {
                signed[i] = ReplySignatures.sign(replies[i], kid, pair.getPrivate());
            }
            int[] m = {0};
            report.append(measure(alg + " sign (statement + signature)",
                    () -> ReplySignatures.sign(next.get(), kid, pair.getPrivate()))).append('\n');
            report.append(measure(alg + " verify, key parsed from its JWK (as the service)", () -> {
                if (!ReplySignatures.verify(signed[m[0]++ & 1023], ReplySignatures.publicKey(jwk))) {
                    throw new IllegalStateException("did not verify");
                }
                return Boolean.TRUE;
            })).append('\n');
            PublicKey parsed = ReplySignatures.publicKey(jwk);
            report.append(measure(alg + " verify, key pre-parsed", () -> {
                if (!ReplySignatures.verify(signed[m[0]++ & 1023], parsed)) {
                    throw new IllegalStateException("did not verify");
                }
                return Boolean.TRUE;
            })).append('\n');
        }
        Path out = Path.of("target/replysignatures-benchmark.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        System.out.println("BENCH\n" + report);
    }
}
