package io.pledge.account.token;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * account-service's RS256 signing key pair. On the embedded default it is generated into the data
 * folder on first start (private key 0600); in production it is mounted from a secret and
 * {@code pledge.jwt.generate-if-missing} is false, so a missing key stops the service.
 */
@Startup
@ApplicationScoped
public class SigningKeys {

    static final String PRIVATE_FILE = "signing-key.pem";
    static final String PUBLIC_FILE = "public.pem";

    private final PrivateKey privateKey;
    private final RSAPublicKey publicKey;
    private final String keyId;

    public SigningKeys(@ConfigProperty(name = "pledge.jwt.key-dir") Path dir,
                       @ConfigProperty(name = "pledge.jwt.generate-if-missing") boolean generate) {
        try {
            Path priv = dir.resolve(PRIVATE_FILE);
            Path pub = dir.resolve(PUBLIC_FILE);
            if (!Files.exists(priv)) {
                if (!generate) {
                    throw new IllegalStateException("no signing key at " + priv
                            + " and pledge.jwt.generate-if-missing=false: mount the key secret there");
                }
                generate(dir, priv, pub);
            }
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            this.privateKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(pem(priv)));
            this.publicKey = (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(pem(pub)));
            this.keyId = thumbprint(publicKey);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the JWT signing key in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JWT signing key in " + dir + " is not a valid RSA key pair", e);
        }
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The key id (RFC 7638 thumbprint) that tokens carry in their {@code kid} header. */
    public String keyId() {
        return keyId;
    }

    /** The public key as a JWKS document (RFC 7517). */
    public Map<String, Object> jwks() {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("use", "sig");
        jwk.put("alg", "RS256");
        jwk.put("kid", keyId);
        jwk.put("n", b64(publicKey.getModulus()));
        jwk.put("e", b64(publicKey.getPublicExponent()));
        return Map.of("keys", List.of(jwk));
    }

    private static void generate(Path dir, Path priv, Path pub) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair pair = gen.generateKeyPair();
        Path tmp = Files.createTempFile(dir, "key", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, toPem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        Files.move(tmp, priv, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(pub, toPem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
        Log.infof("generated a new JWT signing key pair in %s", dir);
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

    private static String thumbprint(RSAPublicKey key) throws GeneralSecurityException {
        String json = "{\"e\":\"" + b64(key.getPublicExponent()) + "\",\"kty\":\"RSA\",\"n\":\"" + b64(key.getModulus()) + "\"}";
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    private static String b64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
