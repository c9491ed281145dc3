package io.pledge.kit.security;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The audiences and scopes of Pledge tokens (the JWT {@code aud} and {@code scope} claims), and the reviewed table of
 * what each Pledge service holds. A client token (role {@code holder}) names one service as its audience and carries
 * only scopes of that service; subject and staff tokens carry {@link #PUBLIC_AUDIENCE}, which every service accepts.
 * The root README's "Who may call what" table lists every endpoint a client may call, with its scope and clients.
 */
public final class Scopes {

    /** The audience of subject and staff tokens (the gateway-facing API): every service accepts it. */
    public static final String PUBLIC_AUDIENCE = "pledge-api";

    // account-service
    /** Read a subject's account-service export part ({@code GET /v1/accounts/{id}/export}). */
    public static final String ACCOUNT_EXPORT_READ = "account.export:read";
    /** Look up subjects' contact data for a declared purpose ({@code POST /internal/v1/contacts}). */
    public static final String CONTACT_READ = "contact:read";
    /** Fetch a notice's code and address for delivery ({@code GET /internal/v1/notices/{id}/secret}). */
    public static final String NOTICE_SECRET_READ = "notice.secret:read";
    /** Start and confirm an identity verification ({@code /internal/v1/identity-verifications}). */
    public static final String IDENTITY_VERIFICATION_WRITE = "identity-verification:write";
    /** Read a subject's payment profile for billing. */
    public static final String PAYMENT_READ = "payment:read";
    /** Disclose payment data to an affiliated processor. */
    public static final String PAYMENT_DISCLOSE = "payment:disclose";
    /** Read usage records (pseudonymous, or re-identified where the usage rules allow it). */
    public static final String USAGE_READ = "usage:read";
    /** Read a subject's real-name status and core-service entitlement. */
    public static final String REAL_NAME_READ = "real-name:read";
    /** Report a real-name verification provider's decision. */
    public static final String REAL_NAME_DECIDE = "real-name:decide";
    /** Place and lift cancellation holds. */
    public static final String HOLD_WRITE = "hold:write";
    /** Ask whether a token's session is still live ({@code POST /internal/v1/sessions/status}, {@link RemoteSessions}). */
    public static final String SESSION_READ = "session:read";
    /** Create, rotate and revoke a registered holder's OAuth client ({@code /internal/v1/holder-clients}). */
    public static final String HOLDER_CLIENT_WRITE = "holder-client:write";

    // consent-service
    /** Check consent ({@code POST /v1/checks}, {@code /v1/checks/batch}). */
    public static final String CONSENT_CHECK = "consent:check";
    /** Read a subject's consent export ({@code GET /v1/consents/{subjectId}/export}). */
    public static final String CONSENT_EXPORT_READ = "consent.export:read";
    /** Issue signed unsubscribe links ({@code POST /v1/unsubscribe-tokens}). */
    public static final String UNSUBSCRIBE_ISSUE = "unsubscribe:issue";

    // notification-service
    /** Read a subject's notification export ({@code GET /v1/notifications/{subjectId}/export}). */
    public static final String NOTIFICATION_EXPORT_READ = "notification.export:read";
    /** Take queued letters for printing ({@code POST /internal/v1/print-jobs/export}). */
    public static final String PRINT_JOB_EXPORT = "print-job:export";
    /** Send marketing through notification-service ({@code POST /v1/marketing/messages}): a marketing team's holder. */
    public static final String MARKETING_SEND = "marketing:send";

    // audit-service
    /** Read a subject's audit history for their export package. */
    public static final String AUDIT_HISTORY_READ = "audit.history:read";

    // rights-request-service
    /** Read rights-request-service's own export part of a subject ({@code GET /v1/requests?subjectId=}). */
    public static final String RIGHTS_EXPORT_READ = "rights.export:read";
    /** Check whether an inbound source's data may be used ({@code POST /v1/inbound-sources/{id}/checks}). */
    public static final String INBOUND_CHECK = "inbound:check";
    /** Read every registered holder's region ({@code GET /internal/v1/holder-regions}): the 5.4 transfer check. */
    public static final String HOLDER_REGION_READ = "holder-region:read";

    // every service (service-kit)
    /** Introspect a token ({@code POST /v1/tokens/introspect}, on every service). */
    public static final String TOKEN_INTROSPECT = "token:introspect";

    /** The audience of scopes every service serves. */
    public static final String ANY_SERVICE = "*";

    /** Each scope and the one service it is meant for ({@link #ANY_SERVICE}: whichever service the token names). */
    public static final Map<String, String> AUDIENCE = Map.ofEntries(
            Map.entry(ACCOUNT_EXPORT_READ, "account-service"),
            Map.entry(CONTACT_READ, "account-service"),
            Map.entry(NOTICE_SECRET_READ, "account-service"),
            Map.entry(IDENTITY_VERIFICATION_WRITE, "account-service"),
            Map.entry(PAYMENT_READ, "account-service"),
            Map.entry(PAYMENT_DISCLOSE, "account-service"),
            Map.entry(USAGE_READ, "account-service"),
            Map.entry(REAL_NAME_READ, "account-service"),
            Map.entry(REAL_NAME_DECIDE, "account-service"),
            Map.entry(HOLD_WRITE, "account-service"),
            Map.entry(SESSION_READ, "account-service"),
            Map.entry(HOLDER_CLIENT_WRITE, "account-service"),
            Map.entry(CONSENT_CHECK, "consent-service"),
            Map.entry(CONSENT_EXPORT_READ, "consent-service"),
            Map.entry(UNSUBSCRIBE_ISSUE, "consent-service"),
            Map.entry(NOTIFICATION_EXPORT_READ, "notification-service"),
            Map.entry(PRINT_JOB_EXPORT, "notification-service"),
            Map.entry(MARKETING_SEND, "notification-service"),
            Map.entry(AUDIT_HISTORY_READ, "audit-service"),
            Map.entry(RIGHTS_EXPORT_READ, "rights-request-service"),
            Map.entry(INBOUND_CHECK, "rights-request-service"),
            Map.entry(HOLDER_REGION_READ, "rights-request-service"),
            Map.entry(TOKEN_INTROSPECT, ANY_SERVICE));

    /** The services a client token may name as its audience. */
    public static final Set<String> SERVICES = Set.of("account-service", "consent-service", "rights-request-service",
            "notification-service", "audit-service");

    /**
     * What each Pledge service holds, from the calls its code makes (reviewed with every new call; account-service
     * grants nothing else to these clients, and configuration can only add downstream holders, see account-service's
     * {@code pledge.account.grants}). Every service but account-service asks account-service whether the session of a
     * token it was handed is live ({@link #SESSION_READ}, {@link RemoteSessions}); beyond that, consent-service reads
     * only the holder registry's regions and audit-service calls no other service.
     */
    public static final Map<String, Set<String>> SERVICE_GRANTS = Map.of(
            // PackageAssembler fetches the subject's parts; AccountClient verifies the requester's identity;
            // HolderClients creates, rotates and revokes registered holders' OAuth clients
            "rights-request-service", Set.of(ACCOUNT_EXPORT_READ, IDENTITY_VERIFICATION_WRITE, HOLDER_CLIENT_WRITE,
                    CONSENT_EXPORT_READ, NOTIFICATION_EXPORT_READ, AUDIT_HISTORY_READ, SESSION_READ),
            // contact lookups, notice codes, consent checks before marketing, unsubscribe links in messages
            "notification-service", Set.of(CONTACT_READ, NOTICE_SECRET_READ, CONSENT_CHECK, UNSUBSCRIBE_ISSUE,
                    SESSION_READ),
            // ConsentClient checks consent before a holder's contact lookup
            "account-service", Set.of(CONSENT_CHECK),
            // RegisteredRegions reads the holder registry's regions for the cross-border check (5.4)
            "consent-service", Set.of(SESSION_READ, HOLDER_REGION_READ),
            "audit-service", Set.of(SESSION_READ));

    /**
     * The client id prefix of a registered holder's OAuth client ({@code holder-<holderId>}, the same name as its
     * Kafka principal). account-service issues tokens with such a subject only to the clients rights-request-service
     * registered, and only with scopes of {@link #HOLDER_GRANTABLE}; configured clients may not use the prefix.
     */
    public static final String HOLDER_CLIENT_PREFIX = "holder-";

    /**
     * The scopes a registered downstream holder may be granted (reviewed: reads and checks a holder's own work needs).
     * Never the notice secrets, identity verification, payment disclosure, real-name decisions, print jobs, unsubscribe
     * links, the client registry itself, or any subject's export part: those stay with Pledge's own services.
     */
    public static final Set<String> HOLDER_GRANTABLE = Set.of(CONTACT_READ, CONSENT_CHECK, PAYMENT_READ, USAGE_READ,
            REAL_NAME_READ, HOLD_WRITE, INBOUND_CHECK, TOKEN_INTROSPECT, MARKETING_SEND);

    private Scopes() {
    }

    /** Whether {@code clientId} names a registered holder's OAuth client ({@link #HOLDER_CLIENT_PREFIX}). */
    public static boolean isHolderClient(String clientId) {
        return clientId != null && clientId.startsWith(HOLDER_CLIENT_PREFIX);
    }

    /** The scopes a token carries (its space-separated {@code scope} claim). */
    public static Set<String> of(JsonWebToken token) {
        Object claim = token.getClaim("scope");
        String value = claim == null ? "" : claim instanceof jakarta.json.JsonString s ? s.getString() : claim.toString();
        return parse(value);
    }

    /** The scopes of a space-separated list (RFC 6749 3.3). */
    public static Set<String> parse(String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.trim().split(" +")).collect(Collectors.toCollection(TreeSet::new));
    }

    /** A {@code scope} claim value: the scopes, sorted, space-separated. */
    public static String format(Collection<String> scopes) {
        return String.join(" ", new TreeSet<>(scopes));
    }

    /** Those of {@code scopes} meant for {@code audience}. */
    public static Set<String> forAudience(Collection<String> scopes, String audience) {
        return scopes.stream().filter(s -> {
            String a = AUDIENCE.get(s);
            return a != null && (a.equals(audience) || a.equals(ANY_SERVICE));
        }).collect(Collectors.toCollection(TreeSet::new));
    }
}
