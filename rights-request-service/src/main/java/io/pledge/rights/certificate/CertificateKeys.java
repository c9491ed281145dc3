package io.pledge.rights.certificate;

import io.pledge.kit.crypto.KeyPairFiles;
import io.pledge.kit.crypto.SigningKeyRing;
import io.pledge.rights.config.RightsConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ECDSA P-256 keys that sign erasure certificates ({@code SHA256withECDSA}, DER signature), a
 * {@link SigningKeyRing} in {@code pledge.rights.key-dir}: the current key signs and every certificate names its
 * {@code keyId}; retired keys kept in the folder still verify what they signed. Generated there on first start on
 * the embedded default (private key 0600); the mounted Secret {@value #SECRET} in the cluster profile, where a missing
 * key stops the service. A generated key's id is base64url(SHA-256(X.509 public key)).
 */
@Startup
@ApplicationScoped
public class CertificateKeys {

    public static final String ALGORITHM = "SHA256withECDSA";
    static final String SECRET = "rights-request-service-certificate-keys";
    /** The older two-file layout, still read as one key. */
    static final String PRIVATE_FILE = "certificate-key.pem";
    static final String PUBLIC_FILE = "certificate-public.pem";
    static final SigningKeyRing.Spec SPEC = new SigningKeyRing.Spec("certificate signing key", SECRET,
            KeyPairFiles.Kind.EC_P256, PRIVATE_FILE, PUBLIC_FILE, k -> keyId(k.getEncoded()));

    private final SigningKeyRing ring;

    public CertificateKeys(RightsConfig config) {
        this.ring = SigningKeyRing.open(config.keyDir(), SPEC, config.generateKeyIfMissing());
    }

    /** A signature by the current key: its key id and the base64url DER signature of {@code data}. */
    public record Signed(String keyId, String signature) {
    }

    public Signed sign(byte[] data) {
        Map.Entry<String, PrivateKey> key = ring.signingKey();
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key.getValue());
            s.update(data);
            return new Signed(key.getKey(), Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a certificate", e);
        }
    }

    /** True when {@code signature} is valid for {@code data} under the key {@code keyId} (current or retired). */
    public boolean verify(String keyId, byte[] data, String signature) {
        Optional<PublicKey> key = ring.publicKey(keyId);
        return key.isPresent() && verify(key.get().getEncoded(), data, signature);
    }

    /** True when {@code signature} (base64url DER) is a valid signature of {@code data} by the public key; never throws. */
    public static boolean verify(byte[] publicKeyDer, byte[] data, String signature) {
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(publicKeyDer));
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(data);
            return s.verify(Base64.getUrlDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The current key, X.509 DER. */
    public byte[] publicKeyDer() {
        return ring.publicKey(keyId()).orElseThrow().getEncoded();
    }

    public String publicKeyPem() {
        return KeyPairFiles.toPem("PUBLIC KEY", publicKeyDer());
    }

    /** The id of the key that signs now. */
    public String keyId() {
        return ring.currentKeyId();
    }

    /** Every key that verifies certificates, current first: key id to X.509 DER. */
    public Map<String, byte[]> publicKeys() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        ring.publicKeys().forEach((kid, key) -> out.put(kid, key.getEncoded()));
        return out;
    }

    /** Re-reads the key folder now (it is also re-read every 30 s and when an unknown key id is asked for). */
    public void refresh() {
        ring.refresh();
    }

    public static String keyId(byte[] der) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
