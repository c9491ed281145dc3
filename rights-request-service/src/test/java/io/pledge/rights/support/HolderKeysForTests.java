package io.pledge.rights.support;

import io.pledge.events.EventJson;
import io.pledge.events.rights.HolderReplied;
import io.pledge.events.rights.ReplySignatures;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signing keys of the holders tests play (real Ed25519 keys, derived from the holder id so that every copy of this
 * class, across Quarkus test-profile restarts, holds the same ones). A holder's key is registered the way its kind
 * gets one: account-service's is read by the service from its key document (served by {@link AccountStub} at
 * {@code /internal/v1/holder-keys}); every other holder's is added by an officer ({@code POST /v1/holders/{id}/keys}).
 */
public final class HolderKeysForTests {

    private static final Map<String, KeyPair> PAIRS = new ConcurrentHashMap<>();
    private static final Set<String> REGISTERED = ConcurrentHashMap.newKeySet();

    private HolderKeysForTests() {
    }

    /** The holder's key pair. */
    public static KeyPair pair(String holderId) {
        return PAIRS.computeIfAbsent(holderId, HolderKeysForTests::derive);
    }

    /** The holder's public JWK, with its RFC 7638 thumbprint as kid. */
    public static Map<String, Object> jwk(String holderId) {
        KeyPair p = pair(holderId);
        return ReplySignatures.jwk(p.getPublic(), ReplySignatures.thumbprintOf(p.getPublic()));
    }

    /** The reply signed with its holder's test key, the key registered first (a holder not in the registry has none). */
    // policy-coverage: stands in for the holders it signs for
    public static HolderReplied sign(HolderReplied reply) {
        ensureRegistered(reply.holderId());
        return signWith(reply, pair(reply.holderId()));
    }

    /** The reply signed with another key than its holder's: a forgery. */
    public static HolderReplied signWith(HolderReplied reply, KeyPair key) {
        return ReplySignatures.sign(reply, ReplySignatures.thumbprintOf(key.getPublic()), key.getPrivate());
    }

    /** A reply body (JSON) signed by its holder's test key. */
    public static String signJson(String body) {
        try {
            return EventJson.mapper().writeValueAsString(sign(EventJson.mapper().readValue(body, HolderReplied.class)));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a HolderReplied body", e);
        }
    }

    /** Registers the holder's key once (idempotent in the service too); a holder not registered gets none. */
    public static void ensureRegistered(String holderId) {
        if ("account-service".equals(holderId)) {
            AccountStub.ensure();
            return;
        }
        if (REGISTERED.contains(holderId)) {
            return;
        }
        int status = Api.officer().body(jwk(holderId)).when().post("/v1/holders/{id}/keys", holderId).then()
                .extract().statusCode();
        if (status == 201) {
            REGISTERED.add(holderId);
        } else if (status != 404) {
            throw new AssertionError("registering the test key of " + holderId + " answered " + status);
        }
    }

    private static KeyPair derive(String holderId) {
        try {
            SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
            seeded.setSeed(("pledge-test-holder-key:" + holderId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(NamedParameterSpec.ED25519, seeded);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException | java.security.InvalidAlgorithmParameterException e) {
            throw new IllegalStateException(e);
        }
    }
}
