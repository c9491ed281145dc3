package io.pledge.rights.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pledge.events.KafkaAccess;
import io.pledge.events.rights.HolderOffboardingRequested;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.Scopes;
import io.pledge.kit.tx.AfterCommit;
import io.pledge.kit.webhook.StandardWebhooks;
import io.pledge.rights.ledger.Propagation;
import io.pledge.rights.requests.RequestStatus;
import io.pledge.rights.requests.RequestTypes;
import io.pledge.rights.requests.RightsRequest;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** The holder registry: registration, updates and offboarding (policy 4.1). */
@ApplicationScoped
@Transactional
public class Registry {

    private final Propagation propagation;
    private final ObjectMapper json;
    private final WebhookSecrets secrets;
    private final KafkaPrincipals kafkaPrincipals;
    private final HolderKeys keys;
    private final OutboundUrls outboundUrls;
    private final OAuthClients oauthClients;
    private final TransactionSynchronizationRegistry transactions;

    public Registry(Propagation propagation, ObjectMapper json, WebhookSecrets secrets, KafkaPrincipals kafkaPrincipals,
                    HolderKeys keys, OutboundUrls outboundUrls, OAuthClients oauthClients,
                    TransactionSynchronizationRegistry transactions) {
        this.oauthClients = oauthClients;
        this.transactions = transactions;
        this.keys = keys;
        this.outboundUrls = outboundUrls;
        this.propagation = propagation;
        this.json = json;
        this.secrets = secrets;
        this.kafkaPrincipals = kafkaPrincipals;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<HolderView> list() {
        return Holder.<Holder>list("order by id").stream().map(h -> HolderView.of(h, null)).toList();
    }

    /** Every holder's registered region (policy 5.4: the region consent-service checks a transfer against). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<HolderRegionResource.HolderRegion> regions() {
        return Holder.<Holder>list("order by id").stream()
                .map(h -> new HolderRegionResource.HolderRegion(h.id, h.kind, h.region, h.status)).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public HolderView get(String id) {
        return HolderView.of(found(id), null);
    }

    /** Registers a third-party holder; a webhook holder gets its HMAC secret in this answer only. */
    public HolderView register(HolderRegistration in) {
        if (Holder.findById(in.id()) != null) {
            throw new ProblemException(ProblemType.CONFLICT, "A holder with this id exists.", "id");
        }
        checkChannel(in);
        outboundUrls.checkRegistration(in);
        Set<String> oauthScopes = checkOAuthScopes(in);
        Holder h = new Holder();
        h.id = in.id();
        h.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        h.status = Holder.ACTIVE;
        apply(h, in);
        String secret = null;
        if (Holder.WEBHOOK.equals(h.channel)) {
            secret = StandardWebhooks.newSecret();
            h.sealedWebhookSecret = secrets.seal(h.id, secret);
        }
        h.persist();
        if (in.signingKeys() != null) {
            for (Map<String, Object> jwk : in.signingKeys()) {
                keys.add(h.id, jwk, HolderKey.REGISTRATION);
            }
        }
        if (oauthScopes != null) {
            h.oauthClientId = KafkaAccess.holderPrincipal(h.id);
            h.oauthScopes = oauthScopes.toArray(String[]::new);
        }
        Holder.flush(); // the registry's own constraints are checked before any credential goes out
        // Credentials go out last, each undone if the registration does not commit after all (a failure to reach the
        // brokers or account-service is a 503 and rolls it back): nothing half-registered, and a retry is safe (the
        // same holder id gets a fresh password and secret, earlier ones refused).
        KafkaPrincipals.Credential kafka = null;
        if (Holder.KAFKA.equals(h.channel)) {
            // a Kafka holder's own principal and ACLs; its password is in this answer only
            kafka = kafkaPrincipals.grant(h.id);
            String id = h.id;
            AfterCommit.unlessCommitted(transactions, () -> undo("Kafka principal", id, () -> kafkaPrincipals.revoke(id)));
        }
        OAuthClients.Credential oauth = null;
        if (oauthScopes != null) {
            // its own OAuth client at account-service; the secret is in this answer only
            oauth = oauthClients.issue(h.id, oauthScopes);
            String id = h.id;
            String client = h.oauthClientId;
            AfterCommit.unlessCommitted(transactions, () -> undo("OAuth client", id, () -> oauthClients.revoke(client, id)));
        }
        Log.infof("holder %s registered (%s, %s)", h.id, h.kind, h.channel);
        return HolderView.of(h, secret, kafka, oauth);
    }

    public HolderView update(String id, HolderRegistration in) {
        Holder h = found(id);
        if (!id.equals(in.id())) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "The id in the body differs from the path.", "id");
        }
        if (!Holder.ACTIVE.equals(h.status)) {
            throw new ProblemException(ProblemType.CONFLICT, "The holder is " + h.status + ".", "id");
        }
        if ("SERVICE".equals(h.kind)) {
            // a service keeps its kind and channel; categories, purposes and its SLA are editable
            h.categories = in.categories().toArray(String[]::new);
            h.purposes = in.purposes().toArray(String[]::new);
            h.ackSlaSeconds = in.ackSlaSeconds();
            return HolderView.of(h, null);
        }
        checkChannel(in);
        outboundUrls.checkRegistration(in);
        String channelBefore = h.channel;
        apply(h, in);
        if (in.signingKeys() != null) {
            // keys are only ever added here (the same key again changes nothing); retiring one is its own call
            for (Map<String, Object> jwk : in.signingKeys()) {
                keys.add(h.id, jwk, HolderKey.OFFICER);
            }
        }
        if (Holder.KAFKA.equals(channelBefore) && !Holder.KAFKA.equals(h.channel)) {
            kafkaPrincipals.revoke(h.id); // off the Kafka channel: its principal goes
        } else if (!Holder.KAFKA.equals(channelBefore) && Holder.KAFKA.equals(h.channel)) {
            return HolderView.of(h, null, kafkaPrincipals.grant(h.id));
        }
        if (Holder.WEBHOOK.equals(h.channel) && h.sealedWebhookSecret == null) {
            String secret = StandardWebhooks.newSecret();
            h.sealedWebhookSecret = secrets.seal(h.id, secret);
            return HolderView.of(h, secret);
        }
        return HolderView.of(h, null);
    }

    /** Adds a public signing key (a JWK) to a holder: a rotation starts here; the old key keeps verifying until retired. */
    public Map<String, Object> addKey(String id, Map<String, Object> jwk) {
        Holder h = found(id);
        if (Holder.LOCAL.equals(h.channel)) {
            throw new ProblemException(ProblemType.CONFLICT, "This service's own keys come from its key folder.", "holderId");
        }
        return HolderKeys.view(keys.add(h.id, jwk, HolderKey.OFFICER));
    }

    /** Retires a holder's key: it stays published and verifies only replies made before now. */
    public Map<String, Object> retireKey(String id, String kid) {
        Holder h = found(id);
        return HolderKeys.view(keys.retire(h.id, kid));
    }

    /**
     * Offboards a holder (end of entrustment, policy 4.1): it is told to return or delete everything it holds
     * (HolderOffboardingRequested, tracked like any command), in-flight requests that expected it wait for its
     * acknowledgement and are resolved by it, and later requests no longer expect it.
     */
    public Map<String, Object> offboard(String id) {
        Holder h = Holder.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (h == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such holder.", "holderId");
        }
        if (Holder.LOCAL.equals(h.channel)) {
            throw new ProblemException(ProblemType.CONFLICT, "This service cannot offboard itself.", "holderId");
        }
        if (!Holder.ACTIVE.equals(h.status)) {
            throw new ProblemException(ProblemType.CONFLICT, "The holder is already " + h.status + ".", "holderId");
        }
        if (h.oauthClientId != null) {
            // the entrustment ends: its HTTP access ends now (it acknowledges over its channel, which needs none);
            // account-service unreachable is a 503 and the offboarding does not start
            oauthClients.revoke(h.oauthClientId, h.id);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        RightsRequest r = new RightsRequest();
        r.id = UUID.randomUUID();
        r.type = RequestTypes.OFFBOARDING;
        r.origin = "REGISTRY";
        r.recipientId = h.id;
        r.categories = h.categories;
        r.submittedAt = now;
        r.verifiedAt = now;
        r.dueAt = now.plusSeconds(h.ackSlaSeconds);
        r.originalDueAt = r.dueAt;
        r.status = RequestStatus.IN_PROGRESS;
        r.persist();
        h.status = Holder.OFFBOARDING;
        h.offboardingRequestId = r.id;
        propagation.dispatch(r);
        // the requests waiting for this holder are resolved only once it acknowledges (its reply to the offboarding)
        int waiting = propagation.awaitOffboarding(h.id, r.id);
        Log.infof("holder %s offboarding %s: %d in-flight requests wait for its acknowledgement", h.id, r.id, waiting);
        return Map.of("holderId", h.id, "offboardingRequestId", r.id, "waitingRequests", waiting, "status", h.status);
    }

    /** A new Kafka password for an active Kafka holder (the old one stops working), shown in this answer only. */
    public HolderView rotateKafkaCredential(String id) {
        Holder h = found(id);
        if (!Holder.ACTIVE.equals(h.status)) {
            throw new ProblemException(ProblemType.CONFLICT, "The holder is " + h.status + ".", "holderId");
        }
        if (!Holder.KAFKA.equals(h.channel)) {
            throw new ProblemException(ProblemType.CONFLICT, "The holder does not use the Kafka channel.", "channel");
        }
        return HolderView.of(h, null, kafkaPrincipals.rotate(h.id));
    }

    /**
     * A new OAuth client secret for an active holder that has a client (the old secret and every token issued with it
     * are refused at once), shown in this answer only.
     */
    public HolderView rotateOAuthCredential(String id) {
        Holder h = found(id);
        if (!Holder.ACTIVE.equals(h.status)) {
            throw new ProblemException(ProblemType.CONFLICT, "The holder is " + h.status + ".", "holderId");
        }
        if (h.oauthClientId == null) {
            throw new ProblemException(ProblemType.CONFLICT, "The holder has no OAuth client.", "oauthScopes");
        }
        return HolderView.of(h, null, null, oauthClients.rotate(h.oauthClientId, h.id));
    }

    private static final List<String> MARKETING_PURPOSES = List.of("marketing-email", "marketing-phone");

    /** The OAuth scopes asked for, each one a holder may be granted; null when none are asked for. */
    private static Set<String> checkOAuthScopes(HolderRegistration in) {
        if (in.oauthScopes() == null) {
            return null;
        }
        for (String s : in.oauthScopes()) {
            if (!Scopes.HOLDER_GRANTABLE.contains(s)) {
                throw new ProblemException(ProblemType.INVALID_INPUT, "Not a scope a holder may be granted: " + s
                        + " (one of " + Scopes.format(Scopes.HOLDER_GRANTABLE) + ").", "oauthScopes");
            }
        }
        // sending marketing is for a team registered to process a marketing purpose, and no other
        if (in.oauthScopes().contains(Scopes.MARKETING_SEND) && (in.purposes() == null
                || in.purposes().stream().noneMatch(MARKETING_PURPOSES::contains))) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "Only a holder registered for a marketing purpose ("
                    + String.join(", ", MARKETING_PURPOSES) + ") may send marketing.", "oauthScopes");
        }
        if (in.id().length() > 93) {
            throw new ProblemException(ProblemType.INVALID_INPUT,
                    "A holder with an OAuth client has an id of at most 93 characters.", "id");
        }
        return new TreeSet<>(in.oauthScopes());
    }

    private static void undo(String what, String holderId, Runnable action) {
        try {
            action.run();
            Log.infof("holder %s: registration not committed, its %s undone", holderId, what);
        } catch (RuntimeException e) {
            // its secret was never handed out; a retried registration replaces it
            Log.warnf("holder %s: registration not committed and its %s could not be undone (%s)", holderId, what,
                    e.getClass().getSimpleName());
        }
    }

    private static void checkChannel(HolderRegistration in) {
        if ("WEBHOOK".equals(in.channel()) && in.webhookUrl() == null) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "A webhook holder needs its webhookUrl.", "webhookUrl");
        }
        if ("OFFSHORE".equals(in.kind()) && "CN".equals(in.region())) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "An offshore recipient is outside CN.", "region");
        }
    }

    @SuppressWarnings("unchecked")
    private void apply(Holder h, HolderRegistration in) {
        h.kind = in.kind();
        h.categories = in.categories().toArray(String[]::new);
        h.purposes = in.purposes().toArray(String[]::new);
        h.region = in.region();
        h.channel = in.channel();
        h.webhookUrl = in.webhookUrl();
        h.exportBaseUrl = in.exportBaseUrl();
        h.agreement = in.agreement() == null ? null : json.convertValue(in.agreement(), Map.class);
        h.ackSlaSeconds = in.ackSlaSeconds();
    }

    private static Holder found(String id) {
        Holder h = Holder.findById(id);
        if (h == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such holder.", "holderId");
        }
        return h;
    }
}
