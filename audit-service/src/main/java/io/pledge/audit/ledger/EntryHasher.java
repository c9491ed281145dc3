package io.pledge.audit.ledger;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The canonical encoding of an entry and its SHA-256 hash: a domain tag, then every field in a fixed order, each
 * string length-prefixed (4 bytes, big endian; -1 for null), numbers big endian, times as ISO-8601 UTC strings,
 * and the body's commitment ({@link #bodyCommitment}) instead of the body. Pure code, also run by the offline bundle verifier.
 */
public final class EntryHasher {

    /** Length of every hash in the ledger. */
    public static final int HASH_LENGTH = 32;
    /** The previous hash of entry 0. */
    public static final byte[] GENESIS = new byte[HASH_LENGTH];

    private static final byte[] DOMAIN = "pledge-audit-entry/v1".getBytes(StandardCharsets.US_ASCII);

    private EntryHasher() {
    }

    /** SHA-256 of the entry's canonical encoding; {@code entryHash} and {@code redactedAt} take no part. */
    public static byte[] entryHash(AuditEntry e) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            string(out, null, DOMAIN);
            out.writeLong(e.seq());
            fixed(out, e.prevHash());
            string(out, e.eventId());
            string(out, e.eventType());
            string(out, e.source());
            string(out, e.subjectId() == null ? null : e.subjectId().toString());
            string(out, time(e.eventTime()));
            string(out, e.dataschema());
            string(out, e.topic());
            out.writeInt(e.partition());
            out.writeLong(e.offset());
            string(out, e.category());
            string(out, e.actor());
            string(out, time(e.recordedAt()));
            fixed(out, e.bodySha256());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return sha256(buffer.toByteArray());
    }

    /** Length of a body's salt. */
    public static final int SALT_LENGTH = 16;

    private static final byte[] BODY_DOMAIN = "pledge-audit-body/v2".getBytes(StandardCharsets.US_ASCII);

    /** SHA-256 of a body's UTF-8 bytes: the commitment of entries recorded without a salt (before migration V3). */
    public static byte[] bodyHash(String body) {
        return sha256(body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The commitment to a body that the chain covers: {@link #bodyHash} without a salt (entries recorded before
     * migration V3), else SHA-256 of {@code "pledge-audit-body/v2"}, the 16-byte salt and the body's UTF-8 bytes. Once
     * body and salt are removed the commitment confirms no guess of the body.
     */
    public static byte[] bodyCommitment(byte[] salt, String body) {
        if (salt == null) {
            return bodyHash(body);
        }
        if (salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("a body salt must be " + SALT_LENGTH + " bytes");
        }
        MessageDigest d = digest();
        d.update(BODY_DOMAIN);
        d.update(salt);
        d.update(body.getBytes(StandardCharsets.UTF_8));
        return d.digest();
    }

    public static byte[] sha256(byte[] bytes) {
        return digest().digest(bytes);
    }

    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    public static String hex(byte[] bytes) {
        return bytes == null ? null : HexFormat.of().formatHex(bytes);
    }

    public static byte[] unhex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    public static boolean same(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        string(out, value, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static void string(DataOutputStream out, String ignored, byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    private static void fixed(DataOutputStream out, byte[] hash) throws IOException {
        if (hash == null || hash.length != HASH_LENGTH) {
            throw new IllegalArgumentException("a hash must be " + HASH_LENGTH + " bytes");
        }
        out.write(hash);
    }
}
