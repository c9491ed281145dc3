package io.pledge.kit.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The same KEK against a real Vault (transit engine enabled at {@code transit/}), run only when
 * {@code VAULT_ADDR} and {@code VAULT_TOKEN} are set — reported as skipped otherwise, as on these
 * machines, where no Vault server can be installed.
 */
@QuarkusTest
@TestProfile(RealVaultTransitKekTest.RealVault.class)
@EnabledIfEnvironmentVariable(named = "VAULT_ADDR", matches = ".+")
@EnabledIfEnvironmentVariable(named = "VAULT_TOKEN", matches = ".+")
class RealVaultTransitKekTest {

    /** Vault from the environment. */
    public static class RealVault implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pledge.crypto.kek", "vault-transit",
                    "pledge.crypto.vault-key", "pledge-kit-test",
                    "quarkus.vault.url", System.getenv().getOrDefault("VAULT_ADDR", "http://127.0.0.1:8200"),
                    "quarkus.vault.authentication.client-token", System.getenv().getOrDefault("VAULT_TOKEN", ""));
        }
    }

    @Inject
    KeyEncryptionKey kek;

    @Inject
    FieldCipher cipher;

    @Test
    void wrapsUnwrapsRotatesAndRewrapsWithARealVault() {
        byte[] dataKey = Aead.newKey();
        KeyEncryptionKey.Wrapped wrapped = kek.wrap(List.of(dataKey)).get(0);
        assertThat(wrapped.ciphertext()).startsWith("vault:v");
        assertThat(kek.unwrap(List.of(wrapped)).get(0)).isEqualTo(dataKey);
        kek.rotate();
        KeyEncryptionKey.Wrapped rewrapped = kek.rewrap(List.of(wrapped)).get(0);
        assertThat(rewrapped.kekVersion()).isEqualTo(kek.currentVersion());
        assertThat(kek.unwrap(List.of(rewrapped)).get(0)).isEqualTo(dataKey);

        UUID subject = UUID.randomUUID();
        assertThat(cipher.open(subject, "email", cipher.seal(subject, "email", "real-vault@example.com")))
                .isEqualTo("real-vault@example.com");
    }
}
