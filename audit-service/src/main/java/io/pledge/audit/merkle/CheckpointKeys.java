package io.pledge.audit.merkle;

import io.pledge.audit.config.AuditConfig;
import io.pledge.kit.crypto.KeyPairFiles;
import io.pledge.kit.crypto.SigningKeyRing;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.PrivateKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * audit-service's ECDSA P-256 keys that sign checkpoints and export bundles, a {@link SigningKeyRing} in
 * {@code pledge.audit.key-dir}: the current key signs and every checkpoint names its {@code keyId}; retired keys kept
 * in the folder (and every key that ever signed a checkpoint, recorded in {@code audit_signing_key}) still verify. On
 * the embedded default a first key is generated there on first start (private key 0600); in the cluster profile the
 * folder is the mounted Secret {@value #SECRET} and a missing key stops the service.
 */
@Startup
@ApplicationScoped
public class CheckpointKeys {

    static final String SECRET = "audit-service-checkpoint-keys";
    /** The older two-file layout, still read as one key. */
    static final String PRIVATE_FILE = "checkpoint-key.pem";
    static final String PUBLIC_FILE = "checkpoint-public.pem";
    static final SigningKeyRing.Spec SPEC = new SigningKeyRing.Spec("checkpoint signing key", SECRET,
            KeyPairFiles.Kind.EC_P256, PRIVATE_FILE, PUBLIC_FILE, k -> Signatures.keyId(k.getEncoded()));

    private final SigningKeyRing ring;

    public CheckpointKeys(AuditConfig config) {
        this.ring = SigningKeyRing.open(config.keyDir(), SPEC, config.generateKeyIfMissing());
    }

    /** The key signing now, held together with its id and public key so that one signature names the key that made it. */
    public record Signer(String keyId, byte[] publicKeyDer, PrivateKey privateKey) {

        public byte[] sign(byte[] data) {
            return Signatures.sign(privateKey, data);
        }
    }

    public Signer signer() {
        Map.Entry<String, PrivateKey> current = ring.signingKey();
        return new Signer(current.getKey(), ring.publicKey(current.getKey()).orElseThrow().getEncoded(), current.getValue());
    }

    /** A signature by the current key. */
    public byte[] sign(byte[] data) {
        return signer().sign(data);
    }

    /** The current public key, X.509 SubjectPublicKeyInfo (DER). */
    public byte[] publicKeyDer() {
        return ring.publicKey(keyId()).orElseThrow().getEncoded();
    }

    /** The current public key in PEM form. */
    public String publicKeyPem() {
        return KeyPairFiles.toPem("PUBLIC KEY", publicKeyDer());
    }

    public String keyId() {
        return ring.currentKeyId();
    }

    /** Every key in the key folder, current first: key id to X.509 DER. */
    public Map<String, byte[]> publicKeys() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        ring.publicKeys().forEach((kid, key) -> out.put(kid, key.getEncoded()));
        return out;
    }

    /** Re-reads the key folder now (it is also re-read every 30 s and when an unknown key id is asked for). */
    public void refresh() {
        ring.refresh();
    }
}
