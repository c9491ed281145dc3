package io.pledge.account.login;

import io.pledge.account.config.AccountConfig;
import io.pledge.kit.problem.RetryLater;
import io.pledge.kit.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashing with Argon2id (BouncyCastle's {@link Argon2BytesGenerator}), 16-byte random salt,
 * 32-byte hash, stored in the PHC string format {@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash} so
 * that the cost can be raised later without breaking stored hashes. Cost from
 * {@code pledge.account.password.*}; default m=19 MiB, t=2, p=1 (OWASP's Argon2id minimum).
 */
@ApplicationScoped
public class PasswordHasher {

    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    /** What a saturated hasher asks a client to wait: about the time a queue of hashes takes to drain. */
    private static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(2);

    private final SecureRandom random = new SecureRandom();
    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final String dummy;
    /**
     * Bounds the hashes computed at once: each holds {@code memoryKib} of heap, so a burst of logins
     * or registrations could otherwise exhaust the heap and stop the service (a denial of service).
     * Callers past the bound wait up to 10 s, then get a 503 problem with {@code Retry-After}: the service is at
     * capacity (back-pressure), which is not the client's rate. Rate limits (too many attempts from one address or on
     * one account) are counted before any hash is computed and answer 429.
     */
    private final Semaphore slots;

    public PasswordHasher(AccountConfig config) {
        this.memoryKib = config.password().memoryKib();
        this.iterations = config.password().iterations();
        this.parallelism = config.password().parallelism();
        int configured = config.password().maxConcurrent();
        long perHash = (long) memoryKib * 1024L * 2; // the memory matrix plus the generator's working copies
        int fromHeap = (int) Math.max(1, Runtime.getRuntime().maxMemory() / 4 / perHash);
        this.slots = new Semaphore(configured > 0 ? configured
                : Math.min(fromHeap, 2 * Runtime.getRuntime().availableProcessors()), true);
        this.dummy = hash("not-a-password-" + random.nextLong());
    }

    /** The cost, as it appears in stored hashes: {@code argon2id m=19456,t=2,p=1}. */
    public String cost() {
        return "argon2id m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism;
    }

    public String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] out = derive(password, salt, memoryKib, iterations, parallelism, 32);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /** Constant-time check of a password against a stored PHC string. */
    public boolean matches(String password, String stored) {
        String[] parts = stored.split("\\$");
        if (parts.length != 6 || !"argon2id".equals(parts[1])) {
            return false;
        }
        int m = 0;
        int t = 0;
        int p = 0;
        for (String kv : parts[3].split(",")) {
            String[] pair = kv.split("=");
            int v = Integer.parseInt(pair[1]);
            switch (pair[0]) {
                case "m" -> m = v;
                case "t" -> t = v;
                case "p" -> p = v;
                default -> {
                    return false;
                }
            }
        }
        byte[] salt = B64D.decode(parts[4]);
        byte[] expected = B64D.decode(parts[5]);
        return MessageDigest.isEqual(expected, derive(password, salt, m, t, p, expected.length));
    }

    /** Spends the same time as a real check, so an unknown login id cannot be told apart by timing. */
    public void burn(String password) {
        matches(password == null ? "" : password, dummy);
    }

    /** How many hashes may run at once. */
    public int concurrency() {
        return slots.availablePermits();
    }

    private byte[] derive(String password, byte[] salt, int m, int t, int p, int length) {
        try {
            if (!slots.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new RetryLater(ProblemType.UNAVAILABLE, "Too many sign-ins at once; try again shortly.",
                        BUSY_RETRY_AFTER);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryLater(ProblemType.UNAVAILABLE, "Interrupted; try again shortly.", BUSY_RETRY_AFTER);
        }
        try {
            return compute(password, salt, m, t, p, length);
        } finally {
            slots.release();
        }
    }

    private static byte[] compute(String password, byte[] salt, int m, int t, int p, int length) {
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt).withMemoryAsKB(m).withIterations(t).withParallelism(p).build());
        byte[] out = new byte[length];
        gen.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
