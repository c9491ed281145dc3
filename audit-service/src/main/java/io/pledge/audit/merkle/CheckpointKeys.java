package io.pledge.audit.merkle;

import io.pledge.audit.config.AuditConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

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
        Path dir = config.keyDir();
        try {
            Path priv = dir.resolve(PRIVATE_FILE);
            Path pub = dir.resolve(PUBLIC_FILE);
            if (!Files.exists(priv)) {
                if (!config.generateKeyIfMissing()) {
                    throw new IllegalStateException("no checkpoint signing key at " + priv
                            + " and pledge.audit.generate-key-if-missing=false: mount the key secret there");
                }
                generate(dir, priv, pub);
            }
            this.privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pem(priv)));
            this.publicKeyDer = pem(pub);
            Signatures.publicKey(publicKeyDer);
            this.keyId = Signatures.keyId(publicKeyDer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the checkpoint signing key in " + dir, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the checkpoint signing key in " + dir + " is not a valid EC key pair", e);
        }
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
        return toPem("PUBLIC KEY", publicKeyDer);
    }

    public String keyId() {
        return keyId;
    }

    private static void generate(Path dir, Path priv, Path pub) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = gen.generateKeyPair();
        Path tmp = Files.createTempFile(dir, "key", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, toPem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(pub, toPem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
        Files.move(tmp, priv, StandardCopyOption.ATOMIC_MOVE);
        Log.infof("generated a new checkpoint signing key pair in %s", dir);
    }

    private static String toPem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] pem(Path file) throws IOException {
        String body = Files.readString(file, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }
}
