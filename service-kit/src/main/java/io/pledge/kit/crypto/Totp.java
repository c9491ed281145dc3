package io.pledge.kit.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238 over HOTP, RFC 4226) with HMAC-SHA1, the algorithm every authenticator
 * app supports; 30-second steps from the Unix epoch. Also the Base32 (RFC 4648, no padding) form secrets travel in
 * inside an {@code otpauth://} URI. Pure functions: callers keep the secret sealed and remember the last step used.
 */
public final class Totp {

    /** Length of one time step in seconds (RFC 6238's default X). */
    public static final long STEP_SECONDS = 30;

    private static final String B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};
    private static final SecureRandom RANDOM = new SecureRandom();

    private Totp() {
    }

    /** A fresh 160-bit secret (RFC 4226's recommended length for HMAC-SHA1). */
    public static byte[] newSecret() {
        byte[] s = new byte[20];
        RANDOM.nextBytes(s);
        return s;
    }

    /** The time step a moment falls in. */
    public static long step(long epochSeconds) {
        return Math.floorDiv(epochSeconds, STEP_SECONDS);
    }

    /** The {@code digits}-digit code of {@code step} (RFC 4226 section 5.3 dynamic truncation), zero-padded. */
    public static String code(byte[] secret, long step, int digits) {
        if (digits < 6 || digits > 8) {
            throw new IllegalArgumentException("a TOTP code has 6 to 8 digits");
        }
        byte[] h;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        int o = h[h.length - 1] & 0x0f;
        int bin = ((h[o] & 0x7f) << 24) | ((h[o + 1] & 0xff) << 16) | ((h[o + 2] & 0xff) << 8) | (h[o + 3] & 0xff);
        String s = Integer.toString(bin % POW10[digits]);
        return "0".repeat(digits - s.length()) + s;
    }

    /**
     * The step within {@code window} steps of {@code nowStep} whose 6-digit code is {@code code}, or -1. Every
     * candidate is compared in constant time, so the answer's timing does not tell which step matched.
     */
    public static long matchingStep(byte[] secret, String code, long nowStep, int window) {
        if (code == null || !code.matches("[0-9]{6}")) {
            return -1;
        }
        long found = -1;
        for (long s = nowStep - window; s <= nowStep + window; s++) {
            if (java.security.MessageDigest.isEqual(code(secret, s, 6).getBytes(), code.getBytes()) && found < 0) {
                found = s;
            }
        }
        return found;
    }

    /** RFC 4648 Base32 without padding, as authenticator apps read a {@code secret=} parameter. */
    public static String base32(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(B32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(B32.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    /** The bytes of a Base32 string (case-insensitive, padding and spaces ignored). */
    public static byte[] fromBase32(String text) {
        String s = text.replace("=", "").replace(" ", "").toUpperCase(Locale.ROOT);
        ByteBuffer out = ByteBuffer.allocate(s.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (char c : s.toCharArray()) {
            int v = B32.indexOf(c);
            if (v < 0) {
                throw new IllegalArgumentException("not Base32");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.put((byte) (buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return out.array();
    }
}
