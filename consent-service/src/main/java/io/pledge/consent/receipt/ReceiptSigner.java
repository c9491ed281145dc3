package io.pledge.consent.receipt;

import io.pledge.consent.config.ConsentConfig;
import io.pledge.kit.crypto.KeyPairFiles;
import io.pledge.kit.crypto.SigningKeyRing;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * The service's signing keys (EC P-256, ES256) for consent receipts and unsubscribe tokens, a {@link SigningKeyRing}
 * in {@code pledge.consent.key-dir}: the current key signs, every JWS names it in {@code kid}, and the JWKS publishes
 * it with every retired key kept in the folder, so a receipt or link issued before a rotation still verifies. On the
 * embedded default a first key is generated there on first start; in the cluster profile the folder is the mounted
 * Secret {@value #SECRET} and a missing key stops the service. The single key of older versions
 * ({@code ${pledge.data-dir}/consent-service/signing-key.jwk}) is still read, as a retired key.
 */
@Startup
@ApplicationScoped
public class ReceiptSigner {

    static final String SECRET = "consent-service-receipt-keys";

    private final SigningKeyRing ring;
    private final Optional<PublicJsonWebKey> legacy;

    public ReceiptSigner(ConsentConfig config, @ConfigProperty(name = "pledge.data-dir") String dataDir,
                         @ConfigProperty(name = "quarkus.application.name") String application) {
        this.ring = SigningKeyRing.open(config.keyDir(),
                new SigningKeyRing.Spec("receipt signing key", SECRET, KeyPairFiles.Kind.EC_P256), config.generateKeyIfMissing());
        this.legacy = legacy(Path.of(dataDir, application, "signing-key.jwk"));
    }

    public String keyId() {
        return ring.currentKeyId();
    }

    /** A compact JWS over the JSON payload, with the given {@code typ} header and the signing key's {@code kid}. */
    public String sign(String json, String type) {
        Map.Entry<String, PrivateKey> key = ring.signingKey();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(json);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKeyIdHeaderValue(key.getKey());
        jws.setHeader("typ", type);
        jws.setKey(key.getValue());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    /**
     * The payload of a JWS that one of the keys (current or retired, chosen by its {@code kid}) signed with
     * {@code typ} = {@code type}, or null when none did.
     */
    public String verify(String compact, String type) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                    AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256));
            jws.setCompactSerialization(compact);
            Optional<PublicKey> key = publicKey(jws.getKeyIdHeaderValue());
            if (key.isEmpty()) {
                return null;
            }
            jws.setKey(key.get());
            if (!type.equals(jws.getHeader("typ")) || !jws.verifySignature()) {
                return null;
            }
            return jws.getPayload();
        } catch (JoseException | RuntimeException e) {
            return null;
        }
    }

    /** The JWKS (every verifying key, the current one first) as JSON text. */
    public String jwksJson() {
        try {
            List<JsonWebKey> keys = new ArrayList<>();
            for (Map.Entry<String, PublicKey> k : ring.publicKeys().entrySet()) {
                keys.add(publicJwk(k.getKey(), k.getValue()));
            }
            if (legacy.isPresent() && ring.publicKey(legacy.get().getKeyId()).isEmpty()) {
                keys.add(publicJwk(legacy.get().getKeyId(), legacy.get().getPublicKey()));
            }
            return new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Re-reads the key folder now (it is also re-read every 30 s and when an unknown kid is met). */
    public void refresh() {
        ring.refresh();
    }

    private Optional<PublicKey> publicKey(String kid) {
        if (legacy.isPresent() && legacy.get().getKeyId().equals(kid)) {
            return Optional.of(legacy.get().getPublicKey());
        }
        return ring.publicKey(kid);
    }

    private static JsonWebKey publicJwk(String kid, PublicKey key) throws JoseException {
        PublicJsonWebKey pub = PublicJsonWebKey.Factory.newPublicJwk(key);
        pub.setKeyId(kid);
        pub.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        pub.setUse("sig");
        return pub;
    }

    private static Optional<PublicJsonWebKey> legacy(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(Files.readString(file));
            if (jwk.getKeyId() == null) {
                jwk.setKeyId(jwk.calculateBase64urlEncodedThumbprint("SHA-256"));
            }
            Log.infof("the receipt key %s of %s verifies what it signed; new receipts use the key folder", jwk.getKeyId(), file);
            return Optional.of(jwk);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the older receipt key " + file, e);
        } catch (JoseException e) {
            throw new IllegalStateException("the older receipt key " + file + " is not a valid JWK");
        }
    }
}
