package io.pledge.kit.holder;

import io.pledge.events.rights.HolderReplied;
import io.pledge.events.rights.ReplySignatures;
import io.pledge.kit.crypto.KeyPairFiles;
import io.pledge.kit.crypto.SigningKeyRing;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Ed25519 key a Pledge service signs its own holder replies with ({@link ReplySignatures}), kept like every
 * signing key in a {@link SigningKeyRing} folder ({@code pledge.holder.key-dir}): generated there on the embedded
 * default, mounted from the Secret {@code <service>-holder-key} in a cluster; a rotation adds a key and the previous
 * ones stay published. Its public keys are the service's holder-key document ({@link HolderKeysResource}), which
 * rights-request-service reads from the service's configured internal URL.
 */
@ApplicationScoped
public class HolderSigner {

    private final String holderId;
    private final Path dir;
    private final boolean generate;
    private volatile SigningKeyRing ring;

    public HolderSigner(@ConfigProperty(name = "pledge.holder.id") String holderId,
                        @ConfigProperty(name = "pledge.holder.key-dir") Path dir,
                        @ConfigProperty(name = "pledge.holder.generate-if-missing") boolean generate) {
        this.holderId = holderId;
        this.dir = dir;
        this.generate = generate;
    }

    /** The holder id this service replies as (default its application name). */
    public String holderId() {
        return holderId;
    }

    /** The reply signed by this service's current holder key; a reply naming another holder is refused. */
    public HolderReplied sign(HolderReplied reply) {
        if (!holderId.equals(reply.holderId())) {
            throw new IllegalArgumentException("this service signs replies of holder " + holderId + " only");
        }
        Map.Entry<String, PrivateKey> key = ring().signingKey();
        return ReplySignatures.sign(reply, key.getKey(), key.getValue());
    }

    /** The id of the key that signs now. */
    public String currentKeyId() {
        return ring().currentKeyId();
    }

    /** The public key of {@code keyId}, current or retired. */
    public java.util.Optional<PublicKey> publicKey(String keyId) {
        return ring().publicKey(keyId);
    }

    /**
     * The holder-key document: {@code {"holderId": ..., "currentKeyId": ..., "keys": [JWK...]}}, every key still
     * published, the current one first. Public keys only.
     */
    public Map<String, Object> document() {
        SigningKeyRing r = ring();
        List<Map<String, Object>> keys = new ArrayList<>();
        r.publicKeys().forEach((kid, key) -> {
            Map<String, Object> jwk = new LinkedHashMap<>(ReplySignatures.jwk(key, kid));
            jwk.put("alg", "EdDSA");
            jwk.put("use", "sig");
            keys.add(jwk);
        });
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("holderId", holderId);
        doc.put("currentKeyId", r.currentKeyId());
        doc.put("keys", keys);
        return doc;
    }

    private SigningKeyRing ring() {
        SigningKeyRing r = ring;
        if (r == null) {
            synchronized (this) {
                r = ring;
                if (r == null) {
                    r = SigningKeyRing.open(dir, new SigningKeyRing.Spec("holder signing key",
                            holderId + "-holder-key", KeyPairFiles.Kind.ED25519), generate);
                    ring = r;
                }
            }
        }
        return r;
    }
}
