package io.pledge.account.token;

import io.pledge.kit.crypto.KeyPairFiles;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
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
        KeyPair pair = KeyPairFiles.loadOrGenerate(dir, PRIVATE_FILE, PUBLIC_FILE, KeyPairFiles.Kind.RSA_2048, generate,
                "JWT signing key");
        this.privateKey = pair.getPrivate();
        this.publicKey = (RSAPublicKey) pair.getPublic();
        try {
            this.keyId = thumbprint(publicKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot compute the JWT signing key's thumbprint", e);
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
