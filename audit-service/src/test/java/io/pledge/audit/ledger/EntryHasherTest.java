package io.pledge.audit.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Pure logic: the entry hash as computed since verification reuses one buffer and digest per thread is, byte for
 * byte, the canonical encoding the ledger has always chained (written here the way it was first written, with a
 * DataOutputStream and Instant.toString), for random entries, non-ASCII strings, nulls and times of every precision,
 * including years outside 0000-9999 (where the encoder falls back to Instant.toString). Nothing is faked.
 */
class EntryHasherTest {

    @Test
    void theReusedEncoderWritesTheCanonicalEncodingOfEveryEntry() throws Exception {
        Random random = new Random(19);
        List<Instant> times = List.of(Instant.EPOCH, Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("-0001-12-31T23:59:59Z"), Instant.parse("1969-12-31T23:59:59.5Z"),
                Instant.parse("2026-12-03T18:00:00Z"), Instant.parse("2026-12-03T18:00:00.120Z"),
                Instant.parse("2026-12-03T18:00:00.000120Z"), Instant.parse("2026-12-03T18:00:00.000000120Z"));
        for (int i = 0; i < 20_000; i++) {
            Instant a = i < times.size() ? times.get(i) : randomInstant(random);
            Instant b = randomInstant(random);
            byte[] prev = new byte[32];
            random.nextBytes(prev);
            byte[] body = new byte[32];
            random.nextBytes(body);
            AuditEntry e = new AuditEntry(random.nextLong(), "id-" + i + (i % 7 == 0 ? "-é✓" : ""),
                    "io.pledge.consent.ConsentGranted.v1", "/pledge/consent-service", i % 5 == 0 ? null : UUID.randomUUID(),
                    a, i % 3 == 0 ? null : "https://pledge.local/schemas/x", "consent.events", random.nextInt(),
                    random.nextLong(), "consent", i % 11 == 0 ? "Zoë" : "consent-service", b, body, null, null, prev, null, null);
            assertThat(EntryHasher.entryHash(e)).as("entry %d (%s, %s)", i, a, b).isEqualTo(reference(e));
        }
    }

    @Test
    void bodyCommitmentsAndHashesAreSha256OfWhatTheySay() throws Exception {
        byte[] salt = new byte[EntryHasher.SALT_LENGTH];
        new Random(5).nextBytes(salt);
        String body = "{\"subjectId\":\"x\",\"note\":\"ünïcode\"}";
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update("pledge-audit-body/v2".getBytes(StandardCharsets.US_ASCII));
        d.update(salt);
        d.update(body.getBytes(StandardCharsets.UTF_8));
        byte[] expected = d.digest();
        for (int i = 0; i < 3; i++) {
            assertThat(EntryHasher.bodyCommitment(salt, body)).isEqualTo(expected);
            assertThat(EntryHasher.bodyCommitment(null, body))
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static Instant randomInstant(Random random) {
        long seconds = 1_500_000_000L + (long) (random.nextDouble() * 1_000_000_000L);
        int nano = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
        return Instant.ofEpochSecond(seconds, nano);
    }

    /** The canonical encoding as first written: DataOutputStream, Instant.toString, a fresh digest. */
    private static byte[] reference(AuditEntry e) throws IOException, java.security.NoSuchAlgorithmException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            string(out, "pledge-audit-entry/v1");
            out.writeLong(e.seq());
            out.write(e.prevHash());
            string(out, e.eventId());
            string(out, e.eventType());
            string(out, e.source());
            string(out, e.subjectId() == null ? null : e.subjectId().toString());
            string(out, e.eventTime() == null ? null : e.eventTime().toString());
            string(out, e.dataschema());
            string(out, e.topic());
            out.writeInt(e.partition());
            out.writeLong(e.offset());
            string(out, e.category());
            string(out, e.actor());
            string(out, e.recordedAt() == null ? null : e.recordedAt().toString());
            out.write(e.bodySha256());
        }
        return MessageDigest.getInstance("SHA-256").digest(buffer.toByteArray());
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
        } else {
            byte[] b = value.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }
    }
}
