package io.pledge.consent.receipt;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * The service's signing key (EC P-256, ES256) for consent receipts and unsubscribe tokens: generated into
 * {@code ${pledge.data-dir}/consent-service/signing-key.jwk} (mode 0600) on first start, its public half
 * published as a JWKS so anyone holding a receipt can verify it.
 */
@Startup
@ApplicationScoped
public class ReceiptSigner {

    private final EllipticCurveJsonWebKey key;

    public ReceiptSigner(@ConfigProperty(name = "pledge.data-dir") String dataDir,
                         @ConfigProperty(name = "quarkus.application.name") String application) {
        this.key = loadOrCreate(Path.of(dataDir, application, "signing-key.jwk"));
    }

    public String keyId() {
        return key.getKeyId();
    }

    /** A compact JWS over the JSON payload, with the given {@code typ} header. */
    public String sign(String json, String type) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(json);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setHeader("typ", type);
        jws.setKey(key.getPrivateKey());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    /** The payload of a JWS this key signed with {@code typ} = {@code type}, or null when it was not. */
    public String verify(String compact, String type) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setAlgorithmConstraints(new org.jose4j.jwa.AlgorithmConstraints(
                    org.jose4j.jwa.AlgorithmConstraints.ConstraintType.PERMIT,
                    AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256));
            jws.setCompactSerialization(compact);
            jws.setKey(key.getPublicKey());
            if (!type.equals(jws.getHeader("typ")) || !jws.verifySignature()) {
                return null;
            }
            return jws.getPayload();
        } catch (JoseException | RuntimeException e) {
            return null;
        }
    }

    /** The JWKS as JSON text. */
    public String jwksJson() {
        try {
            PublicJsonWebKey pub = PublicJsonWebKey.Factory.newPublicJwk(key.getPublicKey());
            pub.setKeyId(key.getKeyId());
            pub.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            pub.setUse("sig");
            return new JsonWebKeySet(pub).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EllipticCurveJsonWebKey loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return (EllipticCurveJsonWebKey) PublicJsonWebKey.Factory.newPublicJwk(Files.readString(file));
            }
            EllipticCurveJsonWebKey generated = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            generated.setKeyId(generated.calculateBase64urlEncodedThumbprint("SHA-256"));
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "signing-key", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, generated.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE), StandardCharsets.UTF_8);
            try {
                // another instance may have won the race: keep the file that exists
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                Log.infof("generated the receipt signing key %s in %s", generated.getKeyId(), file.getParent());
            } catch (java.nio.file.FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                Files.deleteIfExists(tmp);
            }
            return (EllipticCurveJsonWebKey) PublicJsonWebKey.Factory.newPublicJwk(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the signing key " + file, e);
        } catch (JoseException e) {
            throw new IllegalStateException("the signing key " + file + " is not a valid EC JWK", e);
        }
    }
}
