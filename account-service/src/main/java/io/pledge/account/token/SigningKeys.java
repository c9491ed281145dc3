package io.pledge.account.token;

import io.pledge.kit.crypto.KeyPairFiles;
import io.pledge.kit.crypto.SecretFiles;
import io.pledge.kit.crypto.SigningKeyRing;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * account-service's RS256 signing keys ({@link SigningKeyRing} in {@code pledge.jwt.key-dir}): the current key signs
 * every token, named by its {@code kid}; the JWKS publishes it and every retired key still in the folder, so tokens
 * issued before a rotation keep verifying. On the embedded default a first key is generated on first start; in the
 * cluster profile the folder is the Secret {@value #SECRET} and a missing key stops the service. The signing key is
 * the one current at start (this service verifies its own tokens with the JWKS file written then,
 * {@code pledge.jwt.jwks-file}): a rotation takes effect on restart (deploy/README.md).
 */
@Startup
@ApplicationScoped
public class SigningKeys {

    static final String SECRET = "account-service-jwt";
    /**
     * The older two-file layout, read as one key (its kid the RFC 7638 thumbprint tokens carried); the first key is
     * still generated in it, which the whole-system tests and existing Secrets use. Rotation adds ring-layout keys.
     */
    static final String PRIVATE_FILE = "signing-key.pem";
    static final String PUBLIC_FILE = "public.pem";
    static final SigningKeyRing.Spec SPEC = new SigningKeyRing.Spec("JWT signing key", SECRET, KeyPairFiles.Kind.RSA_2048,
            PRIVATE_FILE, PUBLIC_FILE, k -> thumbprint((RSAPublicKey) k), true);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SigningKeyRing ring;
    private final PrivateKey privateKey;
    private final String keyId;

    public SigningKeys(@ConfigProperty(name = "pledge.jwt.key-dir") Path dir,
                       @ConfigProperty(name = "pledge.jwt.generate-if-missing") boolean generate,
                       @ConfigProperty(name = "pledge.jwt.jwks-file") Path jwksFile) {
        this.ring = SigningKeyRing.open(dir, SPEC, generate);
        Map.Entry<String, PrivateKey> current = ring.signingKey();
        this.keyId = current.getKey();
        this.privateKey = current.getValue();
        writeJwks(jwksFile);
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The key id that tokens carry in their {@code kid} header. */
    public String keyId() {
        return keyId;
    }

    /** Every verifying public key as a JWKS document (RFC 7517), the signing key first. */
    public Map<String, Object> jwks() {
        List<Map<String, Object>> keys = new ArrayList<>();
        keys.add(jwk(keyId, ring.publicKey(keyId).orElseThrow()));
        for (Map.Entry<String, PublicKey> k : ring.publicKeys().entrySet()) {
            if (!k.getKey().equals(keyId)) {
                keys.add(jwk(k.getKey(), k.getValue()));
            }
        }
        return Map.of("keys", keys);
    }

    /** Re-reads the key folder (a key added to the Secret); the JWKS then lists it. */
    public void refresh() {
        ring.refresh();
    }

    private void writeJwks(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            SecretFiles.replace(dir, file.getFileName().toString(), JSON.writeValueAsBytes(jwks()), false);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the JWKS file " + file, e);
        }
    }

    private static Map<String, Object> jwk(String kid, PublicKey key) {
        RSAPublicKey rsa = (RSAPublicKey) key;
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("use", "sig");
        jwk.put("alg", "RS256");
        jwk.put("kid", kid);
        jwk.put("n", b64(rsa.getModulus()));
        jwk.put("e", b64(rsa.getPublicExponent()));
        return jwk;
    }

    private static String thumbprint(RSAPublicKey key) {
        String json = "{\"e\":\"" + b64(key.getPublicExponent()) + "\",\"kty\":\"RSA\",\"n\":\"" + b64(key.getModulus()) + "\"}";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot compute the JWT signing key's thumbprint", e);
        }
    }

    private static String b64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
