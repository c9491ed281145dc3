package io.pledge.audit.merkle;

import io.pledge.audit.config.AuditConfig;
import io.pledge.kit.crypto.KeyPairFiles;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.KeyPair;
import java.security.PrivateKey;

/**
 * audit-service's ECDSA P-256 key pair that signs checkpoints and export bundles. On the embedded default it is
 * generated into {@code pledge.audit.key-dir} on first start (private key 0600); in production it is mounted from a
 * secret and {@code pledge.audit.generate-key-if-missing} is false, so a missing key stops the service.
 */
@Startup
@ApplicationScoped
public class CheckpointKeys {

    static final String PRIVATE_FILE = "checkpoint-key.pem";
    static final String PUBLIC_FILE = "checkpoint-public.pem";

    private final PrivateKey privateKey;
    private final byte[] publicKeyDer;
    private final String keyId;

    public CheckpointKeys(AuditConfig config) {
        KeyPair pair = KeyPairFiles.loadOrGenerate(config.keyDir(), PRIVATE_FILE, PUBLIC_FILE, KeyPairFiles.Kind.EC_P256,
                config.generateKeyIfMissing(), "checkpoint signing key");
        this.privateKey = pair.getPrivate();
        this.publicKeyDer = pair.getPublic().getEncoded();
        Signatures.publicKey(publicKeyDer);
        this.keyId = Signatures.keyId(publicKeyDer);
    }

    public byte[] sign(byte[] data) {
        return Signatures.sign(privateKey, data);
    }

    /** The public key, X.509 SubjectPublicKeyInfo (DER). */
    public byte[] publicKeyDer() {
        return publicKeyDer.clone();
    }

    /** The public key in PEM form. */
    public String publicKeyPem() {
        return KeyPairFiles.toPem("PUBLIC KEY", publicKeyDer);
    }

    public String keyId() {
        return keyId;
    }
}
