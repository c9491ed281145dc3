package io.pledge.kit.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.pledge.kit.testing.FakeVaultTransit;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The production KEK, {@link VaultTransitKek}, through the real quarkus-vault client. There is no
 * Vault server on these machines and none can be installed, so Vault is the one thing faked here:
 * {@link FakeVaultTransit}, a local HTTP stand-in written from Vault's documented transit API,
 * which really encrypts. PostgreSQL is real. {@link RealVaultTransitKekTest} runs the same against
 * a real Vault when {@code VAULT_ADDR} and {@code VAULT_TOKEN} are set.
 */
@QuarkusTest
@TestProfile(VaultTransitKekTest.WithVaultStandIn.class)
class VaultTransitKekTest {

    static final FakeVaultTransit VAULT = new FakeVaultTransit();

    /** The KEK is Vault's transit engine, at the stand-in's address. */
    public static class WithVaultStandIn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pledge.crypto.kek", "vault-transit",
                    "pledge.crypto.vault-key", "pledge-kit-test",
                    "quarkus.vault.url", VAULT.url(),
                    "quarkus.vault.authentication.client-token", FakeVaultTransit.TOKEN);
        }
    }

    @Inject
    EntityManager em;

    @Inject
    AgroalDataSource db;

    @Inject
    KeyManagement keys;

    @Inject
    SubjectKeyRing ring;

    /**
     * The stand-in's transit keys live only as long as this JVM, so data keys it wrapped in an
     * earlier run can never be unwrapped again: remove them (and their rows) before and after.
     */
    @BeforeEach
    @AfterEach
    void forgetKeysWrappedByAnEarlierStandIn() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("delete from kit_test_person where subject_id in "
                    + "(select subject_id from pledge_keys.subject_key where kek_version like 'vault:%')");
            s.executeUpdate("delete from pledge_keys.subject_key where kek_version like 'vault:%'");
        }
        ring.clearCache();
    }

    @Test
    void dataKeysAreWrappedByOneTransitKeyAndSurviveARotation() throws Exception {
        List<UUID> rows = new ArrayList<>();
        List<UUID> subjects = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UUID subject = UUID.randomUUID();
            subjects.add(subject);
            UUID id = UUID.randomUUID();
            rows.add(id);
            int n = i;
            QuarkusTransaction.requiringNew().run(() -> {
                KitTestPerson p = new KitTestPerson();
                p.id = id;
                p.subjectId = subject;
                p.email = PersonalString.of(subject, "email", "vault" + n + "@example.com");
                em.persist(p);
            });
        }
        for (UUID s : subjects) {
            assertThat(wrapped(s)).startsWith("vault:v");
        }
        assertThat(VAULT.calls()).anyMatch(c -> c.startsWith("POST /v1/transit/encrypt/pledge-kit-test"));
        assertThat(VAULT.calls()).noneMatch(c -> c.contains(subjects.get(0).toString())); // one key per service

        int versionBefore = VAULT.versions("pledge-kit-test");
        int rewrapped = keys.rotateAndRewrap();
        assertThat(rewrapped).isGreaterThanOrEqualTo(subjects.size());
        assertThat(keys.currentVersion()).isEqualTo("vault:v" + (versionBefore + 1));
        assertThat(VAULT.versions("pledge-kit-test")).isEqualTo(versionBefore + 1);
        assertThat(VAULT.calls()).anyMatch(c -> c.startsWith("POST /v1/transit/rewrap/pledge-kit-test [batch"));
        for (UUID s : subjects) {
            assertThat(wrapped(s)).startsWith("vault:v" + (versionBefore + 1) + ":");
            assertThat(kekVersion(s)).isEqualTo("vault:v" + (versionBefore + 1));
        }

        ring.clearCache();
        for (int i = 0; i < rows.size(); i++) {
            UUID id = rows.get(i);
            String email = QuarkusTransaction.requiringNew().call(() -> {
                em.clear();
                return em.find(KitTestPerson.class, id).email.value();
            });
            assertThat(email).isEqualTo("vault" + i + "@example.com");
        }
        assertThat(VAULT.calls()).anyMatch(c -> c.startsWith("POST /v1/transit/decrypt/pledge-kit-test"));
    }

    private String wrapped(UUID subject) throws Exception {
        return keyColumn("wrapped", subject);
    }

    private String kekVersion(UUID subject) throws Exception {
        return keyColumn("kek_version", subject);
    }

    private String keyColumn(String column, UUID subject) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select " + column + " from pledge_keys.subject_key where subject_id = ?")) {
            ps.setObject(1, subject);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a key for %s", subject).isTrue();
                return rs.getString(1);
            }
        }
    }
}
