package io.pledge.kit.crypto;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.SecretKey;

/**
 * Seals one personal field value under its subject's data key: AES-256-GCM, random 96-bit nonce,
 * and the subject id and field name bound as associated data, so ciphertext moved to another
 * subject's row or another field fails to open. Stored form:
 * {@code p1.<subject id>.<field>.<base64url(nonce | ciphertext | tag)>}.
 */
@ApplicationScoped
@Unremovable // looked up by PersonalStringConverter, which Hibernate instantiates
public class FieldCipher {

    static final String FORMAT = "p1";

    private final SubjectKeyRing keys;

    public FieldCipher(SubjectKeyRing keys) {
        this.keys = keys;
    }

    /** A sealed value: whose, which field, and the AEAD output. */
    public record Sealed(UUID subjectId, String field, byte[] box) {

        public String encode() {
            return FORMAT + "." + subjectId + "." + field + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(box);
        }

        /**
         * @throws PersonalDataUnreadableException when the stored form is not a sealed value
         */
        public static Sealed decode(String stored) {
            String[] f = stored == null ? new String[0] : stored.split("\\.", 4);
            if (f.length != 4 || !FORMAT.equals(f[0])) {
                throw new PersonalDataUnreadableException("a personal column holds something that is not a sealed value");
            }
            try {
                return new Sealed(UUID.fromString(f[1]), f[2], Base64.getUrlDecoder().decode(f[3]));
            } catch (IllegalArgumentException e) {
                throw new PersonalDataUnreadableException("a sealed personal value is malformed (field " + f[2] + ")");
            }
        }
    }

    /**
     * @throws SubjectShreddedException when the subject's keys were destroyed (nothing new is stored for them)
     */
    public Sealed seal(UUID subjectId, String field, String plaintext) {
        checkField(field);
        SecretKey key = keys.keyFor(subjectId);
        return new Sealed(subjectId, field, Aead.seal(key, plaintext.getBytes(StandardCharsets.UTF_8), aad(subjectId, field)));
    }

    /**
     * Opens a value sealed for {@code subjectId}'s {@code field}.
     *
     * @throws SubjectShreddedException        when the subject's keys were destroyed
     * @throws PersonalDataUnreadableException when the value was altered or belongs to another subject or field
     */
    public String open(UUID subjectId, String field, Sealed sealed) {
        if (!sealed.subjectId().equals(subjectId) || !sealed.field().equals(field)) {
            throw new PersonalDataUnreadableException("personal field '" + field + "' of subject " + subjectId
                    + " holds a value sealed for " + (sealed.subjectId().equals(subjectId) ? "field '" + sealed.field() + "'"
                    : "another subject") + ": it was moved, and is refused");
        }
        Optional<SecretKey> key = keys.existingKey(subjectId);
        if (key.isEmpty()) {
            throw new PersonalDataUnreadableException("personal field '" + field + "' of subject " + subjectId
                    + " was sealed under a key the key store does not hold");
        }
        try {
            return new String(Aead.open(key.get(), sealed.box(), aad(subjectId, field)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new PersonalDataUnreadableException("personal field '" + field + "' of subject " + subjectId
                    + " fails authentication: it was altered, or sealed under another key");
        }
    }

    private static byte[] aad(UUID subjectId, String field) {
        return ("pledge:" + subjectId + ":" + field).getBytes(StandardCharsets.UTF_8);
    }

    private static void checkField(String field) {
        if (field == null || !field.matches("[a-zA-Z][a-zA-Z0-9_-]{0,63}")) {
            throw new IllegalArgumentException("a personal field name is a short identifier");
        }
    }
}
