package io.pledge.account.login;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Argon2id under a burst: hashes run a bounded number at a time (each holds 19 MiB, and a memory-hard hash gains
 * nothing from more hashes than cores), so a flood of sign-ins waits instead of exhausting the memory and stopping the
 * service; every hash still verifies. The service hashes with libargon2 on this machine and says so at start.
 */
@QuarkusTest
class PasswordHasherTest {

    @Inject
    PasswordHasher hasher;

    @Test
    void aBurstOfHashesIsBoundedAndEveryOneVerifies() throws Exception {
        int bound = hasher.concurrency();
        assertThat(bound).isBetween(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(24);
        List<Future<String>> hashes = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String password = "burst-password-" + i;
            hashes.add(pool.submit(() -> hasher.hash(password)));
        }
        for (int i = 0; i < 24; i++) {
            String stored = hashes.get(i).get();
            assertThat(stored).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
            assertThat(hasher.matches("burst-password-" + i, stored)).isTrue();
            assertThat(hasher.matches("burst-password-x", stored)).isFalse();
        }
        pool.shutdown();
        assertThat(hasher.concurrency()).as("every slot released").isEqualTo(bound);
    }

    @Test
    void theStartupLogNamesTheEngineInUse() throws Exception {
        assertThat(hasher.engine()).startsWith("libargon2 (native, ");
        assertThat(Files.readString(Path.of("target/account-service-test.log")))
                .contains("password hashing: argon2id m=19456,t=2,p=1 with libargon2 (native, ");
    }
}
