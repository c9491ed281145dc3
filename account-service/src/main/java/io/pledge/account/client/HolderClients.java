package io.pledge.account.client;

import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.Scopes;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The OAuth clients of registered holders ({@code holder-<holderId>}), managed by rights-request-service's holder
 * registry: issuing a credential (a random 32-byte secret, stored as SHA-256, and a new credential id), rotating it,
 * revoking it, and checking a presented secret in constant time. Every token issued with a credential carries its id
 * as {@code sid}; a token is live only while that credential is its client's current, active one.
 */
@ApplicationScoped
@Transactional
public class HolderClients {

    /** A holder id as the registry spells it, short enough that {@code holder-<id>} is a valid accessor id. */
    public static final Pattern HOLDER_ID = Pattern.compile("[a-z0-9][a-z0-9.-]{0,92}");

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A credential as issued: the secret is in this answer only. */
    public record Issued(String clientId, String holderId, String clientSecret, UUID credentialId, Set<String> scopes,
                         String status, Instant issuedAt) {
    }

    /** A client as it stands, without any secret. */
    public record View(String clientId, String holderId, Set<String> scopes, String status, UUID credentialId,
                       Instant createdAt, Instant rotatedAt, Instant revokedAt) {
        static View of(HolderClient c) {
            return new View(c.clientId, c.holderId, Scopes.parse(c.scopes), c.status, c.credentialId, c.createdAt,
                    c.rotatedAt, c.revokedAt);
        }
    }

    /**
     * Issues the holder's client a fresh credential with these scopes (each from {@link Scopes#HOLDER_GRANTABLE}). A
     * repeated call (the registry retrying a registration whose answer or commit was lost) gives a new secret and
     * credential id and the earlier ones stop working: there is always one client per holder and one valid secret,
     * the one in the latest answer. The registry only asks for holders it is registering, so a client revoked by a
     * registration that rolled back becomes active again here.
     */
    public Issued issue(String holderId, Set<String> scopes) {
        if (holderId == null || !HOLDER_ID.matcher(holderId).matches()) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "Not a holder id of the registry (at most 93 of a-z, 0-9, '.', '-').",
                    "holderId");
        }
        checkScopes(scopes);
        String clientId = Scopes.HOLDER_CLIENT_PREFIX + holderId;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        HolderClient c = HolderClient.findById(clientId, LockModeType.PESSIMISTIC_WRITE);
        if (c == null) {
            c = new HolderClient();
            c.clientId = clientId;
            c.holderId = holderId;
            c.createdAt = now;
        } else {
            c.rotatedAt = now;
        }
        c.scopes = Scopes.format(scopes);
        c.status = HolderClient.ACTIVE;
        c.revokedAt = null;
        String secret = renew(c);
        c.persist();
        Log.infof("holder client %s issued a credential %s with %s", clientId, c.credentialId, c.scopes);
        return issued(c, secret, now);
    }

    /** A new secret and credential id for an active client: the old secret and every token issued with it end now. */
    public Issued rotate(String clientId) {
        HolderClient c = locked(clientId);
        if (!c.active()) {
            throw new ProblemException(ProblemType.CONFLICT, "The client is revoked.", "clientId");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        c.rotatedAt = now;
        String secret = renew(c);
        Log.infof("holder client %s rotated to credential %s", clientId, c.credentialId);
        return issued(c, secret, now);
    }

    /** Revokes the client: its secret and every token issued with it are refused from now on. Again: no change. */
    public View revoke(String clientId) {
        HolderClient c = locked(clientId);
        if (c.active()) {
            c.status = HolderClient.REVOKED;
            c.revokedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            Log.infof("holder client %s revoked", clientId);
        }
        return View.of(c);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public View get(String clientId) {
        HolderClient c = HolderClient.findById(clientId);
        if (c == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such holder client.", "clientId");
        }
        return View.of(c);
    }

    /** The active client this secret authenticates, or empty (unknown, revoked, or a wrong secret). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<HolderClient> authenticate(String clientId, String secret) {
        HolderClient c = HolderClient.findById(clientId);
        if (c == null || secret == null) {
            return Optional.empty();
        }
        boolean matches = MessageDigest.isEqual(c.secretHash.getBytes(StandardCharsets.US_ASCII),
                sha256(secret).getBytes(StandardCharsets.US_ASCII));
        return matches && c.active() ? Optional.of(c) : Optional.empty();
    }

    /** Whether {@code credentialId} is the current credential of the active client {@code clientId}. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean live(String clientId, String credentialId) {
        HolderClient c = HolderClient.findById(clientId);
        return c != null && c.active() && c.credentialId.toString().equals(credentialId);
    }

    private static void checkScopes(Set<String> scopes) {
        if (scopes == null || scopes.isEmpty()) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "Name at least one scope.", "scopes");
        }
        for (String s : scopes) {
            if (!Scopes.HOLDER_GRANTABLE.contains(s)) {
                throw new ProblemException(ProblemType.INVALID_INPUT,
                        "Not a scope a holder may be granted: " + s + " (see Scopes.HOLDER_GRANTABLE).", "scopes");
            }
        }
    }

    private static HolderClient locked(String clientId) {
        HolderClient c = clientId == null ? null : HolderClient.findById(clientId, LockModeType.PESSIMISTIC_WRITE);
        if (c == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such holder client.", "clientId");
        }
        return c;
    }

    private static String renew(HolderClient c) {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        c.secretHash = sha256(secret);
        c.credentialId = UUID.randomUUID();
        return secret;
    }

    private static Issued issued(HolderClient c, String secret, Instant at) {
        return new Issued(c.clientId, c.holderId, secret, c.credentialId, Scopes.parse(c.scopes), c.status, at);
    }

    private static String sha256(String v) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(v.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
