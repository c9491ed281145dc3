package io.pledge.kit.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The one webhook signature scheme of Pledge, Standard Webhooks (https://www.standardwebhooks.com, symmetric
 * {@code v1}): headers {@code webhook-id} (the message id, the receiver's idempotency key), {@code webhook-timestamp}
 * (epoch seconds) and {@code webhook-signature: v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>}
 * (space-separated when several keys sign during a rotation); the id is inside the signed content, so a signature
 * cannot be moved to another message, and a timestamp outside the tolerance is refused, so an old call cannot be
 * replayed. A secret is {@code whsec_<base64 key>}; one without the prefix is read as its base64 (or base64url)
 * key, as the specification's libraries do. Pure code: commands out, callbacks in and notification webhooks use it.
 */
public final class StandardWebhooks {

    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";
    public static final String SECRET_PREFIX = "whsec_";
    /** A message id: no {@code .} (it would make the signed content ambiguous), at most 100 characters. */
    public static final String ID_PATTERN = "[A-Za-z0-9_:-]{1,100}";

    private static final Pattern MESSAGE_ID = Pattern.compile(ID_PATTERN);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Why a call was refused, or null when its signature verifies. */
    public enum Refusal {
        MISSING_HEADER, BAD_ID, BAD_TIMESTAMP, STALE_TIMESTAMP, BAD_SIGNATURE
    }

    private StandardWebhooks() {
    }

    /** A new random secret, {@code whsec_} and 32 random bytes in base64. */
    public static String newSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(b);
    }

    /** The {@code webhook-signature} value for one message: {@code v1,<base64 HMAC-SHA256>}. */
    public static String sign(String secret, String id, long timestamp, String body) {
        return sign(secret, id, timestamp, body.getBytes(StandardCharsets.UTF_8));
    }

    public static String sign(String secret, String id, long timestamp, byte[] body) {
        if (!MESSAGE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a webhook id is " + ID_PATTERN);
        }
        return "v1," + Base64.getEncoder().encodeToString(mac(key(secret), id, timestamp, body));
    }

    /**
     * Checks a received call: all three headers present, an id of {@link #ID_PATTERN}, a timestamp within
     * {@code tolerance} of {@code now}, and one {@code v1} signature in the header that matches (constant time).
     *
     * @return null when it verifies, else why not
     */
    public static Refusal verify(String secret, String id, String timestamp, String signatures, byte[] body,
                                 Duration tolerance, Instant now) {
        if (secret == null || id == null || timestamp == null || signatures == null) {
            return Refusal.MISSING_HEADER;
        }
        if (!MESSAGE_ID.matcher(id).matches()) {
            return Refusal.BAD_ID;
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return Refusal.BAD_TIMESTAMP;
        }
        if (Math.abs(now.getEpochSecond() - ts) > tolerance.toSeconds()) {
            return Refusal.STALE_TIMESTAMP;
        }
        byte[] expected;
        try {
            expected = mac(key(secret), id, ts, body);
        } catch (IllegalArgumentException e) {
            return Refusal.BAD_SIGNATURE;
        }
        for (String s : signatures.strip().split(" +")) {
            if (!s.startsWith("v1,")) {
                continue;
            }
            byte[] presented;
            try {
                presented = Base64.getDecoder().decode(s.substring(3));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, presented)) {
                return null;
            }
        }
        return Refusal.BAD_SIGNATURE;
    }

    /** The HMAC key of a secret ({@code whsec_} optional, base64 or base64url). */
    static byte[] key(String secret) {
        String b64 = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException notStandard) {
            return Base64.getUrlDecoder().decode(b64);
        }
    }

    private static byte[] mac(byte[] key, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
