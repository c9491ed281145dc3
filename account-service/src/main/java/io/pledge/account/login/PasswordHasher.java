package io.pledge.account.login;

import io.pledge.account.config.AccountConfig;
import io.pledge.kit.problem.RetryLater;
import io.pledge.kit.problem.ProblemType;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Password hashing with Argon2id, 16-byte random salt, 32-byte hash, stored in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash} so that the cost can be raised later without breaking stored
 * hashes. Cost from {@code pledge.account.password.*}; default m=19 MiB, t=2, p=1 (OWASP's Argon2id minimum). The
 * hash is computed by the reference C implementation (libargon2, {@link NativeArgon2id}) where the library is
 * installed and gives the known answer, else by BouncyCastle in pure Java ({@link JavaArgon2id}); both compute the
 * same bytes, so a stored hash verifies whichever computed it. The startup log says which one is in use.
 */
@ApplicationScoped
@Startup
public class PasswordHasher {

    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    /** What a saturated hasher asks a client to wait: about the time a queue of hashes takes to drain. */
    private static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(2);

    private final SecureRandom random = new SecureRandom();
    private final Argon2idEngine engine;
    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final String dummy;
    /**
     * Bounds the hashes computed at once. Each holds {@code memoryKib}, so a burst of logins or registrations could
     * otherwise exhaust the memory and stop the service (a denial of service); and a memory-hard hash is bound by the
     * core and its cache, so more hashes than cores only share them and each takes longer. Callers past the bound wait
     * up to 10 s, then get a 503 problem with {@code Retry-After}: the service is at capacity (back-pressure), which
     * is not the client's rate. Rate limits (too many attempts from one address or on one account) are counted
     * before any hash is computed and answer 429.
     */
    private final Semaphore slots;

    @Inject
    public PasswordHasher(AccountConfig config) {
        this(chooseEngine(), config.password().memoryKib(), config.password().iterations(),
                config.password().parallelism(), config.password().maxConcurrent());
        Log.infof("password hashing: %s with %s, at most %d at once", cost(), engine.name(), concurrency());
    }

    /** A hasher on {@code engine} at cost m (KiB), t, p; {@code maxConcurrent} 0 derives the bound (see README). */
    PasswordHasher(Argon2idEngine engine, int memoryKib, int iterations, int parallelism, int maxConcurrent) {
        this.engine = engine;
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
        long perHash = (long) memoryKib * 1024L * 2; // the memory matrix plus the working copies
        int fromHeap = (int) Math.max(1, Runtime.getRuntime().maxMemory() / 4 / perHash);
        this.slots = new Semaphore(maxConcurrent > 0 ? maxConcurrent
                : Math.min(fromHeap, Runtime.getRuntime().availableProcessors()), true);
        this.dummy = hash("not-a-password-" + random.nextLong());
    }

    private static Argon2idEngine chooseEngine() {
        NativeArgon2id.Loaded loaded = NativeArgon2id.load();
        if (loaded.engine().isPresent()) {
            return loaded.engine().get();
        }
        Log.infof("libargon2 not used (%s); install Debian's libargon2-1 for about 1.6 times the hash rate",
                loaded.reason());
        return new JavaArgon2id();
    }

    /** What computes the hashes (for logs and benchmarks): a library, never a value. */
    public String engine() {
        return engine.name();
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

    private byte[] compute(String password, byte[] salt, int m, int t, int p, int length) {
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        try {
            return engine.derive(pw, salt, m, t, p, length);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }
}
