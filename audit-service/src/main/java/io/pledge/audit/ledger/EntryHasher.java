package io.pledge.audit.ledger;

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
        Encoder out = ENCODER.get().reset();
        out.bytes(DOMAIN);
        out.writeLong(e.seq());
        out.fixed(e.prevHash());
        out.string(e.eventId());
        out.string(e.eventType());
        out.string(e.source());
        out.string(e.subjectId() == null ? null : e.subjectId().toString());
        out.time(e.eventTime());
        out.string(e.dataschema());
        out.string(e.topic());
        out.writeInt(e.partition());
        out.writeLong(e.offset());
        out.string(e.category());
        out.string(e.actor());
        out.time(e.recordedAt());
        out.fixed(e.bodySha256());
        return out.sha256();
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
        MessageDigest d = reusedDigest();
        d.update(BODY_DOMAIN);
        d.update(salt);
        d.update(body.getBytes(StandardCharsets.UTF_8));
        return d.digest();
    }

    public static byte[] sha256(byte[] bytes) {
        return reusedDigest().digest(bytes);
    }

    /**
     * This thread's SHA-256 digest, reset, for one complete hash ({@code update}s then {@code digest()}) with no other
     * hash of this class in between: saves a provider look-up per hash where millions are computed (verification).
     */
    public static MessageDigest reusedDigest() {
        MessageDigest d = ENCODER.get().digest;
        d.reset();
        return d;
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

    private static final ThreadLocal<Encoder> ENCODER = ThreadLocal.withInitial(Encoder::new);

    /**
     * The canonical encoding written into one reused buffer per thread: strings length-prefixed (4 bytes, big endian;
     * -1 for null) in UTF-8, numbers big endian, times as {@link Instant#toString()} (ISO-8601 UTC) writes them.
     */
    private static final class Encoder {

        private final MessageDigest digest = digest();
        private byte[] buf = new byte[512];
        private int len;

        Encoder reset() {
            len = 0;
            return this;
        }

        byte[] sha256() {
            digest.reset();
            digest.update(buf, 0, len);
            return digest.digest();
        }

        private void room(int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        void writeInt(int v) {
            room(4);
            buf[len++] = (byte) (v >>> 24);
            buf[len++] = (byte) (v >>> 16);
            buf[len++] = (byte) (v >>> 8);
            buf[len++] = (byte) v;
        }

        void writeLong(long v) {
            writeInt((int) (v >>> 32));
            writeInt((int) v);
        }

        void bytes(byte[] b) {
            writeInt(b.length);
            room(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        void fixed(byte[] hash) {
            if (hash == null || hash.length != HASH_LENGTH) {
                throw new IllegalArgumentException("a hash must be " + HASH_LENGTH + " bytes");
            }
            room(HASH_LENGTH);
            System.arraycopy(hash, 0, buf, len, HASH_LENGTH);
            len += HASH_LENGTH;
        }

        void string(String value) {
            if (value == null) {
                writeInt(-1);
                return;
            }
            int n = value.length();
            for (int i = 0; i < n; i++) {
                if (value.charAt(i) >= 0x80) {
                    bytes(value.getBytes(StandardCharsets.UTF_8));
                    return;
                }
            }
            // ASCII (every id, type, topic and time): its UTF-8 bytes are its chars
            writeInt(n);
            room(n);
            for (int i = 0; i < n; i++) {
                buf[len++] = (byte) value.charAt(i);
            }
        }

        /** As {@code string(t.toString())}, without the formatter for the years 0 to 9999. */
        void time(Instant t) {
            if (t == null) {
                writeInt(-1);
                return;
            }
            long seconds = t.getEpochSecond();
            if (seconds < MIN_FAST_SECOND || seconds >= MAX_FAST_SECOND) {
                string(t.toString());
                return;
            }
            int nano = t.getNano();
            int fraction = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
            int n = 20 + (fraction == 0 ? 0 : 1 + fraction);
            writeInt(n);
            room(n);
            long day = Math.floorDiv(seconds, 86_400);
            int secondOfDay = (int) Math.floorMod(seconds, 86_400);
            java.time.LocalDate date = java.time.LocalDate.ofEpochDay(day);
            digits(date.getYear(), 4);
            buf[len++] = '-';
            digits(date.getMonthValue(), 2);
            buf[len++] = '-';
            digits(date.getDayOfMonth(), 2);
            buf[len++] = 'T';
            digits(secondOfDay / 3600, 2);
            buf[len++] = ':';
            digits(secondOfDay / 60 % 60, 2);
            buf[len++] = ':';
            digits(secondOfDay % 60, 2);
            if (fraction > 0) {
                buf[len++] = '.';
                digits(fraction == 3 ? nano / 1_000_000 : fraction == 6 ? nano / 1_000 : nano, fraction);
            }
            buf[len++] = 'Z';
        }

        private void digits(int value, int width) {
            for (int i = width - 1; i >= 0; i--) {
                buf[len + i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            len += width;
        }
    }

    /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z: Instant.toString writes four-digit years between them. */
    private static final long MIN_FAST_SECOND = -62_167_219_200L;
    private static final long MAX_FAST_SECOND = 253_402_300_800L;
}
