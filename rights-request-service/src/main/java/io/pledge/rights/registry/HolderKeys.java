package io.pledge.rights.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pledge.events.rights.HolderReplied;
import io.pledge.events.rights.ReplySignatures;
import io.pledge.kit.holder.HolderSigner;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.rights.config.RightsConfig;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Holders' public signing keys and the verification of every reply against them (issue 16: replies are bound to the
 * holder that sent them). A third-party holder's keys come with its registration or from an officer (add, retire);
 * a Pledge service's keys are read from its own key document at its configured internal URL
 * ({@code pledge.rights.holder-keys.service-urls}) when a reply names a key not yet known; this service's own keys
 * come from its {@link HolderSigner}. A retired key stays published and verifies only replies made before its
 * retirement.
 */
@ApplicationScoped
@Transactional
public class HolderKeys {

    /** Why a reply was refused, as stored in {@code holder_reply.refusal_reason} and named in the dead letter. */
    public static final String UNSIGNED = "UNSIGNED";
    public static final String UNKNOWN_HOLDER = "UNKNOWN_HOLDER";
    public static final String UNKNOWN_KEY = "UNKNOWN_KEY";
    public static final String KEY_RETIRED = "KEY_RETIRED";
    public static final String BAD_SIGNATURE = "BAD_SIGNATURE";
    public static final String HOLDER_MISMATCH = "HOLDER_MISMATCH";

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<String> PUBLIC_MEMBERS = Set.of("kty", "crv", "x", "y", "kid", "alg", "use");
    private static final long FETCH_INTERVAL_MILLIS = 2_000;

    /** The outcome of a verification: the key that verified, or why none did. */
    public record Verdict(String refusal, HolderKey key) {
        public boolean verified() {
            return refusal == null;
        }
    }

    private final HolderSigner self;
    private final RightsConfig config;
    private final ObjectMapper json;
    private final Map<String, Long> fetchedAt = new ConcurrentHashMap<>();
    /** Registered keys, parsed once (a JWK parse is a sixth of a verification, deploy/local/bench replies). */
    private final Map<String, PublicKey> parsedKeys = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private final EntityManager em;

    public HolderKeys(HolderSigner self, RightsConfig config, ObjectMapper json, EntityManager em) {
        this.em = em;
        this.self = self;
        this.config = config;
        this.json = json;
    }

    /** This service is a holder too (channel LOCAL): its own public keys are published beside every other's. */
    void publishOwnKeys(@Observes StartupEvent event) {
        QuarkusTransaction.requiringNew().run(() -> storeDocument(self.holderId(), self.document(), HolderKey.SELF));
    }

    /** Verifies a reply against the keys registered for the holder it names. */
    public Verdict verify(HolderReplied reply) {
        if (reply.signature() == null || reply.keyId() == null) {
            return new Verdict(UNSIGNED, null);
        }
        Holder h = Holder.findById(reply.holderId());
        if (h == null) {
            return new Verdict(UNKNOWN_HOLDER, null);
        }
        HolderKey k = HolderKey.find(h.id, reply.keyId());
        if (k == null && "SERVICE".equals(h.kind) && KEY_ID.matcher(reply.keyId()).matches()) {
            fetchServiceKeys(h.id);
            k = HolderKey.find(h.id, reply.keyId());
        }
        if (k == null) {
            return new Verdict(UNKNOWN_KEY, null);
        }
        if (k.retiredAt != null && (reply.repliedAt() == null || reply.repliedAt().isAfter(k.retiredAt))) {
            return new Verdict(KEY_RETIRED, k);
        }
        if (!ReplySignatures.verify(reply, parsed(k))) {
            return new Verdict(BAD_SIGNATURE, k);
        }
        return new Verdict(null, k);
    }

    /** The key's public key, parsed once per holder, kid and key material (only registered keys are ever parsed). */
    private PublicKey parsed(HolderKey k) {
        String id = k.holderId() + " " + k.keyId() + " " + k.jwk.get("x") + " " + k.jwk.get("y");
        return parsedKeys.computeIfAbsent(id, i -> ReplySignatures.publicKey(k.jwk));
    }

    /**
     * Registers a public key (a JWK) for a holder; the same key again is a no-op. A private key member, another key
     * type or a malformed key is refused (422), as is a key id taken by another key of the holder (409).
     */
    public HolderKey add(String holderId, Map<String, Object> jwk, String source) {
        PublicKey key = parse(jwk);
        Object given = jwk.get("kid");
        String kid = given == null ? ReplySignatures.thumbprintOf(key) : given.toString();
        if (!KEY_ID.matcher(kid).matches()) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "A key id is 1 to 64 base64url characters.", "kid");
        }
        Map<String, Object> stored = new TreeMap<>(ReplySignatures.jwk(key, kid));
        HolderKey existing = HolderKey.find(holderId, kid);
        if (existing != null) {
            if (!sameKey(existing.jwk, stored)) {
                throw new ProblemException(ProblemType.CONFLICT, "This holder has another key with this id.", "kid");
            }
            return existing;
        }
        em.flush(); // a holder registered in this transaction is written before its key refers to it
        // two instances may store the same key at once (their own keys at start-up, a service's document): the first
        // insert wins, the other reads it
        int inserted = em.createNativeQuery("insert into holder_key (holder_id, key_id, jwk, algorithm, source, added_at) "
                        + "values (?1, ?2, cast(?3 as jsonb), ?4, ?5, ?6) on conflict (holder_id, key_id) do nothing")
                .setParameter(1, holderId).setParameter(2, kid).setParameter(3, writeJson(stored))
                .setParameter(4, ReplySignatures.jwsAlgorithm(key)).setParameter(5, source)
                .setParameter(6, Instant.now().truncatedTo(ChronoUnit.MICROS)).executeUpdate();
        HolderKey k = HolderKey.find(holderId, kid);
        if (!sameKey(k.jwk, stored)) {
            throw new ProblemException(ProblemType.CONFLICT, "This holder has another key with this id.", "kid");
        }
        if (inserted > 0) {
            Log.infof("holder %s: signing key %s added (%s, %s)", holderId, kid, k.algorithm, source);
        }
        return k;
    }

    /** Retires a key now: it stays published and verifies only replies made before this moment. */
    public HolderKey retire(String holderId, String kid) {
        HolderKey k = HolderKey.find(holderId, kid);
        if (k == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such key of this holder.", "kid");
        }
        if (k.retiredAt == null) {
            k.retiredAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            Log.infof("holder %s: signing key %s retired", holderId, kid);
        }
        return k;
    }

    /** Every holder's keys, current and retired, with their validity: what a certificate is checked with offline. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Map<String, Object>> published() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (HolderKey k : HolderKey.<HolderKey>list("order by key.holderId, addedAt, key.keyId")) {
            out.add(view(k));
        }
        return out;
    }

    /** The published view of one key: holder, kid, JWK, validity. */
    public static Map<String, Object> view(HolderKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("holderId", k.holderId());
        m.put("keyId", k.keyId());
        m.put("algorithm", k.algorithm);
        m.put("jwk", k.jwk);
        m.put("validFrom", k.addedAt);
        m.put("retiredAt", k.retiredAt);
        m.put("status", k.retiredAt == null ? "ACTIVE" : "RETIRED");
        return m;
    }

    private static PublicKey parse(Map<String, Object> jwk) {
        if (jwk == null) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "A signing key is a JWK object.", "signingKeys");
        }
        if (jwk.containsKey("d")) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "This is a private key: register the public JWK only.",
                    "signingKeys");
        }
        PublicKey key;
        try {
            key = ReplySignatures.publicKey(jwk);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "A signing key is an Ed25519 (OKP) or P-256 (EC) public "
                    + "JWK.", "signingKeys");
        }
        for (String member : jwk.keySet()) {
            if (!PUBLIC_MEMBERS.contains(member)) {
                throw new ProblemException(ProblemType.INVALID_INPUT, "A signing key has only kty, crv, x, y, kid, alg "
                        + "and use.", "signingKeys");
            }
        }
        return key;
    }

    private String writeJson(Map<String, Object> m) {
        try {
            return json.writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JWK", e);
        }
    }

    private static boolean sameKey(Map<String, Object> a, Map<String, Object> b) {
        return a.get("kty").equals(b.get("kty")) && a.get("x").equals(b.get("x"))
                && java.util.Objects.equals(a.get("y"), b.get("y"));
    }

    /**
     * Reads a Pledge service's key document from its configured internal URL (never a URL a reply names), at most once
     * per {@value #FETCH_INTERVAL_MILLIS} ms per service, so a flood of replies naming unknown keys is not a flood of
     * calls. A service that cannot be read leaves the key unknown: the reply is refused and escalated, and the
     * watchdog's re-send gets a reply that verifies once the service answers.
     */
    @SuppressWarnings("unchecked")
    private void fetchServiceKeys(String holderId) {
        String base = serviceUrls().get(holderId);
        if (base == null) {
            return;
        }
        long now = System.currentTimeMillis();
        Long last = fetchedAt.get(holderId);
        if (last != null && now - last < FETCH_INTERVAL_MILLIS) {
            return;
        }
        fetchedAt.put(holderId, now);
        try {
            HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(URI.create(base.replaceAll("/$", "")
                    + "/internal/v1/holder-keys")).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (res.statusCode() != 200) {
                Log.warnf("the holder-key document of %s answered %d", holderId, res.statusCode());
                return;
            }
            storeDocument(holderId, json.readValue(res.body(), Map.class), HolderKey.SERVICE);
        } catch (IOException | RuntimeException e) {
            Log.warnf("cannot read the holder-key document of %s: %s", holderId, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings("unchecked")
    private void storeDocument(String holderId, Map<String, Object> doc, String source) {
        if (!holderId.equals(doc.get("holderId")) || !(doc.get("keys") instanceof List<?> keys)) {
            Log.warnf("the holder-key document of %s does not name it", holderId);
            return;
        }
        if (Holder.findById(holderId) == null) {
            return;
        }
        for (Object o : keys) {
            Map<String, Object> jwk = new LinkedHashMap<>((Map<String, Object>) o);
            jwk.keySet().retainAll(PUBLIC_MEMBERS);
            try {
                add(holderId, jwk, source);
            } catch (ProblemException e) {
                Log.warnf("a key in the holder-key document of %s is refused", holderId);
            }
        }
    }

    private Map<String, String> serviceUrls() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String e : config.holderKeys().serviceUrls().orElse(List.of())) {
            int i = e.indexOf('=');
            if (i > 0) {
                m.put(e.substring(0, i).trim(), e.substring(i + 1).trim());
            }
        }
        return m;
    }
}
