package io.pledge.rights.certificate;

import io.pledge.rights.config.RightsConfig;
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
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The ECDSA P-256 key pair that signs erasure certificates ({@code SHA256withECDSA}, DER signature). Generated into
 * {@code pledge.rights.key-dir} on first start on the embedded default (private key 0600); mounted in production
 * with {@code pledge.rights.generate-key-if-missing=false}. The key id is base64url(SHA-256(X.509 public key)).
 */
@Startup
@ApplicationScoped
public class CertificateKeys {

    public static final String ALGORITHM = "SHA256withECDSA";
    static final String PRIVATE_FILE = "certificate-key.pem";
    static final String PUBLIC_FILE = "certificate-public.pem";

    private final PrivateKey privateKey;
    private final byte[] publicKeyDer;
    private final String keyId;

    public CertificateKeys(RightsConfig config) {
        Path dir = config.keyDir();
        try {
            Path priv = dir.resolve(PRIVATE_FILE);
            Path pub = dir.resolve(PUBLIC_FILE);
            if (!Files.exists(priv)) {
                if (!config.generateKeyIfMissing()) {
                    throw new IllegalStateException("no certificate signing key at " + priv
                            + " and pledge.rights.generate-key-if-missing=false: mount the key secret there");
                }
                generate(dir, priv, pub);
            }
            this.privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pem(priv)));
            this.publicKeyDer = pem(pub);
            KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(publicKeyDer));
            this.keyId = keyId(publicKeyDer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the certificate signing key in " + dir, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the certificate signing key in " + dir + " is not a valid EC key pair", e);
        }
    }

    /** base64url DER signature of {@code data}. */
    public String sign(byte[] data) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(privateKey);
            s.update(data);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a certificate", e);
        }
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

    public byte[] publicKeyDer() {
        return publicKeyDer.clone();
    }

    public String publicKeyPem() {
        return toPem("PUBLIC KEY", publicKeyDer);
    }

    public String keyId() {
        return keyId;
    }

    public static String keyId(byte[] der) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
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
        Log.infof("generated a new certificate signing key pair in %s", dir);
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
