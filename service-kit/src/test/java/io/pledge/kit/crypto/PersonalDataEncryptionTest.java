package io.pledge.kit.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Personal fields sealed per subject, on the real PostgreSQL database {@code pledge_kit} with the
 * embedded-default KEK (a local key file; Vault is covered by {@link VaultTransitKekTest}):
 * unreadable in the table, unrecoverable from a backup once the subject is shredded, refused when
 * moved or altered, and readable throughout a KEK rotation under concurrent load.
 */
@QuarkusTest
class PersonalDataEncryptionTest {

    @Inject
    EntityManager em;

    @Inject
    AgroalDataSource db;

    @Inject
    FieldCipher cipher;

    @Inject
    SubjectKeyRing ring;

    @Inject
    KeyManagement keys;

    private UUID persist(UUID subject, String email, String mobile) {
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> {
            KitTestPerson p = new KitTestPerson();
            p.id = id;
            p.subjectId = subject;
            p.email = PersonalString.of(subject, "email", email);
            p.mobile = PersonalString.of(subject, "mobile", mobile);
            p.nickname = "plain-" + subject.toString().substring(0, 4);
            em.persist(p);
        });
        return id;
    }

    private KitTestPerson load(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            em.clear();
            return em.find(KitTestPerson.class, id);
        });
    }

    @Test
    @Tag("clause-5.2")
    void aPersonalFieldIsUnreadableInTheTable() throws SQLException {
        UUID subject = UUID.randomUUID();
        UUID id = persist(subject, "alice.liu@example.com", "+8613800138000");

        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select email, mobile, nickname from kit_test_person where id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getString("email")).startsWith("p1." + subject + ".email.").doesNotContain("alice").doesNotContain("example");
                assertThat(rs.getString("mobile")).startsWith("p1." + subject + ".mobile.").doesNotContain("13800138000");
                assertThat(rs.getString("nickname")).startsWith("plain-");
            }
        }
        KitTestPerson back = load(id);
        assertThat(back.email.value()).isEqualTo("alice.liu@example.com");
        assertThat(back.mobile.value()).isEqualTo("+8613800138000");
        assertThat(back.email.toString()).doesNotContain("alice");
    }

    @Test
    @Tag("clause-6.3")
    void afterShreddingNeitherABackupNorTheKeyStoreRecoversTheFieldAndOthersAreUnaffected() throws Exception {
        UUID shredded = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        UUID shreddedRow = persist(shredded, "bob.wang@example.com", "+8613900139000");
        persist(other, "carol.zhao@example.com", "+8613700137000");

        // a backup of the data (the key store is backed up apart, on a short rotation)
        String backup = pgDump("--exclude-schema=pledge_keys", "--table=kit_test_person");
        List<FieldCipher.Sealed> shreddedInBackup = sealedValuesOf(backup, shredded);
        List<FieldCipher.Sealed> otherInBackup = sealedValuesOf(backup, other);
        assertThat(shreddedInBackup).hasSize(2);
        assertThat(otherInBackup).hasSize(2);

        QuarkusTransaction.requiringNew().run(() -> ring.shred(shredded));
        ring.clearCache();

        for (FieldCipher.Sealed s : shreddedInBackup) {
            assertThatThrownBy(() -> cipher.open(shredded, s.field(), s)).isInstanceOf(SubjectShreddedException.class)
                    .hasMessageContaining(shredded.toString()).hasMessageNotContaining("bob");
        }
        assertThat(otherInBackup).extracting(s -> cipher.open(other, s.field(), s))
                .containsExactlyInAnyOrder("carol.zhao@example.com", "+8613700137000");
        assertThat(count("select count(*) from pledge_keys.subject_key where subject_id = ?", shredded)).isZero();
        assertThat(count("select count(*) from pledge_keys.shredded_subject where subject_id = ?", shredded)).isEqualTo(1);
        String keyStoreNow = pgDump("--schema=pledge_keys");
        assertThat(keyStoreNow).contains(shredded.toString()); // the shred record, and nothing else of it:
        assertThat(keyStoreNow.lines().filter(l -> l.contains(shredded.toString())).toList())
                .allSatisfy(l -> assertThat(l).doesNotContain("local:"));

        // the row that was not deleted loads as erased; nothing new can be sealed for the subject
        KitTestPerson row = load(shreddedRow);
        assertThat(row.email.isErased()).isTrue();
        assertThatThrownBy(() -> row.email.value()).isInstanceOf(SubjectShreddedException.class);
        assertThatThrownBy(() -> cipher.seal(shredded, "email", "new@example.com")).isInstanceOf(SubjectShreddedException.class);
    }

    @Test
    void ciphertextMovedToAnotherSubjectOrFieldOrAlteredByOneBitFailsClearly() throws SQLException {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID rowA = persist(a, "dan@example.com", "+8613600136000");
        UUID rowB = persist(b, "erin@example.com", "+8613500135000");

        exec("update kit_test_person set email = (select email from kit_test_person where id = ?) where id = ?", rowA, rowB);
        assertThatThrownBy(() -> load(rowB)).hasStackTraceContaining("sealed for another subject")
                .hasStackTraceContaining(b.toString());

        exec("update kit_test_person set mobile = email where id = ?", rowA);
        assertThatThrownBy(() -> load(rowA)).hasStackTraceContaining("holds a value sealed for field 'email'");

        UUID c = UUID.randomUUID();
        UUID rowC = persist(c, "fay@example.com", "+8613400134000");
        String stored = string("select email from kit_test_person where id = ?", rowC);
        FieldCipher.Sealed sealed = FieldCipher.Sealed.decode(stored);
        byte[] box = sealed.box().clone();
        box[box.length / 2] ^= 0x01; // one bit
        String flipped = new FieldCipher.Sealed(c, "email", box).encode();
        exec("update kit_test_person set email = ? where id = ?", flipped, rowC);
        assertThatThrownBy(() -> load(rowC)).hasStackTraceContaining("fails authentication")
                .hasStackTraceContaining("'email' of subject " + c).hasStackTraceContaining("PersonalDataUnreadableException");
    }

    @Test
    void aKekRotationUnderConcurrentReadsAndWritesLosesNothing() throws Exception {
        Map<UUID, String[]> written = new ConcurrentHashMap<>(); // row id -> subject, email
        for (int i = 0; i < 40; i++) {
            UUID s = UUID.randomUUID();
            written.put(persist(s, "seed" + i + "@example.com", "+86100" + i), new String[] {s.toString(), "seed" + i + "@example.com"});
        }
        String before = keys.currentVersion();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<Integer>> work = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int writer = w;
            work.add(pool.submit(() -> {
                int n = 0;
                while (!stop.get()) {
                    UUID s = UUID.randomUUID();
                    String email = "w" + writer + "-" + n + "@example.com";
                    written.put(persist(s, email, "+86200" + n), new String[] {s.toString(), email});
                    n++;
                }
                return n;
            }));
        }
        for (int r = 0; r < 3; r++) {
            work.add(pool.submit(() -> {
                int n = 0;
                while (!stop.get()) {
                    List<UUID> ids = new ArrayList<>(written.keySet());
                    UUID id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                    ring.clearCache(); // force the unwrap path while keys are being re-wrapped
                    assertThat(load(id).email.value()).isEqualTo(written.get(id)[1]);
                    n++;
                }
                return n;
            }));
        }
        Thread.sleep(1500);
        keys.rotateAndRewrap();
        Thread.sleep(1000);
        keys.rotateAndRewrap();
        Thread.sleep(1000);
        stop.set(true);
        int operations = 0;
        for (Future<Integer> f : work) {
            operations += f.get(2, TimeUnit.MINUTES); // a failed read or write fails here
        }
        pool.shutdown();
        ring.rewrapAll(); // keys created during the last rotation
        String after = keys.currentVersion();

        assertThat(operations).isGreaterThan(50);
        assertThat(before).startsWith("local:v");
        assertThat(Integer.parseInt(after.substring("local:v".length())))
                .isEqualTo(Integer.parseInt(before.substring("local:v".length())) + 2);
        assertThat(count("select count(*) from pledge_keys.subject_key where kek_version like 'local:%' and kek_version <> ?", after))
                .isZero();
        ring.clearCache();
        for (Map.Entry<UUID, String[]> e : written.entrySet()) {
            assertThat(load(e.getKey()).email.value()).isEqualTo(e.getValue()[1]);
        }
    }

    private static List<FieldCipher.Sealed> sealedValuesOf(String dump, UUID subject) {
        List<FieldCipher.Sealed> out = new ArrayList<>();
        Matcher m = Pattern.compile("p1\\." + subject + "\\.[a-z]+\\.[A-Za-z0-9_-]+").matcher(dump);
        while (m.find()) {
            out.add(FieldCipher.Sealed.decode(m.group()));
        }
        return out;
    }

    private static String pgDump(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("pg_dump", "-h", "127.0.0.1", "-U", "pledge_kit", "-d", "pledge_kit_test"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PGPASSWORD", "pledge_kit");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("pg_dump: %s", err).isZero();
        return out;
    }

    private void exec(String sql, Object... args) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    private String string(String sql, UUID arg) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private long count(String sql, Object arg) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
