package io.pledge.kit.crypto;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (tag {@code benchmark}; run with {@code deploy/local/bench crypto}, which
 * runs {@code pgbench -S} beside it): the cost of sealing and opening one personal field, and of a
 * subject key look-up with the cache (memory) and without it (a key-store read plus an unwrap),
 * on the real PostgreSQL database and the embedded-default local KEK.
 */
@Tag("benchmark")
@QuarkusTest
class CryptoBenchmark {

    private static final int SUBJECTS = 2_000;
    private static final int FIELD_OPS = 200_000;

    @Inject
    FieldCipher cipher;

    @Inject
    SubjectKeyRing ring;

    @Test
    void fieldAndKeyLookupCosts() throws Exception {
        List<UUID> subjects = new ArrayList<>();
        for (int i = 0; i < SUBJECTS; i++) {
            UUID s = UUID.randomUUID();
            QuarkusTransaction.requiringNew().run(() -> ring.keyFor(s));
            subjects.add(s);
        }
        UUID one = subjects.get(0);
        String value = "someone.with.a.long.name@example.com";

        // warm-up, then measure seal and open of one ~36-byte field with a cached key
        FieldCipher.Sealed sealed = null;
        for (int i = 0; i < 50_000; i++) {
            sealed = cipher.seal(one, "email", value);
            cipher.open(one, "email", sealed);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < FIELD_OPS; i++) {
            sealed = cipher.seal(one, "email", value);
        }
        double sealUs = (System.nanoTime() - t0) / 1e3 / FIELD_OPS;
        t0 = System.nanoTime();
        for (int i = 0; i < FIELD_OPS; i++) {
            cipher.open(one, "email", sealed);
        }
        double openUs = (System.nanoTime() - t0) / 1e3 / FIELD_OPS;

        // key look-ups: cached (all subjects fit the cache) and uncached (cache emptied before each)
        for (UUID s : subjects) {
            ring.existingKey(s);
        }
        int rounds = 50;
        t0 = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            for (UUID s : subjects) {
                ring.existingKey(s);
            }
        }
        double cachedUs = (System.nanoTime() - t0) / 1e3 / (rounds * SUBJECTS);
        t0 = System.nanoTime();
        for (UUID s : subjects) {
            ring.clearCache();
            ring.existingKey(s);
        }
        double uncachedUs = (System.nanoTime() - t0) / 1e3 / SUBJECTS;

        String report = String.format("""
                === personal-field crypto benchmark (1 thread, real PostgreSQL, local-file KEK) ===
                seal one field (AES-256-GCM, 36 B, cached key): %.2f us  (%.0f ops/s)
                open one field (cached key):                    %.2f us  (%.0f ops/s)
                key look-up, cached:                            %.3f us  (%.0f /s)
                key look-up, uncached (key-store read + unwrap): %.1f us  (%.0f /s)
                """, sealUs, 1e6 / sealUs, openUs, 1e6 / openUs, cachedUs, 1e6 / cachedUs, uncachedUs, 1e6 / uncachedUs);
        System.out.println(report);
        Files.writeString(Path.of("target", "crypto-benchmark.txt"), report);
    }
}
