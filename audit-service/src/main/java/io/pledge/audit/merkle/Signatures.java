package io.pledge.audit.merkle;

import io.pledge.audit.ledger.EntryHasher;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** ECDSA P-256 signatures over checkpoints and export bundles. Pure code, shared with the offline verifier. */
public final class Signatures {

    /** The JCA name of the signature algorithm every checkpoint and bundle uses. */
    public static final String ALGORITHM = "SHA256withECDSA";

    private Signatures() {
    }

    /** A key's id: base64url SHA-256 of its X.509 SubjectPublicKeyInfo encoding. */
    public static String keyId(byte[] publicKeyDer) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(EntryHasher.sha256(publicKeyDer));
    }

    public static PublicKey publicKey(byte[] der) {
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an EC public key", e);
        }
    }

    public static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the audit key", e);
        }
    }

    /** True when {@code signature} is a valid signature of {@code data} by {@code publicKeyDer}; never throws. */
    public static boolean verify(byte[] publicKeyDer, byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(publicKey(publicKeyDer));
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
