package io.pledge.account.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** account-service's own settings (prefix {@code pledge.account}); the README lists every key. */
@ConfigMapping(prefix = "pledge.account")
public interface AccountConfig {

    /** account-service's own base URL, whose JWKS every service trusts (shared key set by service-kit); default {@code http://127.0.0.1:8081}. */
    @WithDefault("http://127.0.0.1:8081")
    URI url();

    /** Folder of the lookup secret ({@code lookup-key}, 0600); default {@code ${pledge.data-dir}/account-service}. */
    Path secretDir();

    /** Generate the lookup and usage secrets on first start; default {@code pledge.keys.generate-if-missing} (true; false in profile cluster, where they are mounted). */
    @WithDefault("true")
    boolean generateSecretIfMissing();

    /** Public base URL of this service behind the gateway, used in export locations; default {@code https://pledge.local/api/accounts}. */
    @WithDefault("https://pledge.local/api/accounts")
    URI publicUrl();

    /**
     * Service clients that may obtain a {@code holder} token with the client-credentials grant at
     * {@code POST /v1/oauth/token}, each with its secret in {@code ${pledge.data-dir}/client-secrets/<id>};
     * default {@code consent-service,rights-request-service,notification-service,audit-service}.
     */
    @WithDefault("consent-service,rights-request-service,notification-service,audit-service")
    Set<String> serviceClients();

    /**
     * Scopes granted to a client beyond {@code io.pledge.kit.security.Scopes.SERVICE_GRANTS} (what Pledge's own
     * services hold, reviewed in code): {@code pledge.account.grants.<client>=<scope>,<scope>} for a downstream
     * holder that is also in {@code service-clients}, e.g. {@code pledge.account.grants.billing=payment:read}; default
     * none. Unknown scopes stop the service at start.
     */
    Map<String, Set<String>> grants();

    /** Lifetime of a service client's token; default {@code PT5M}. */
    @WithDefault("PT5M")
    Duration serviceTokenTtl();

    /** Holder clients that may start and check identity verifications for rights requests; default {@code rights-request-service}. */
    @WithDefault("rights-request-service")
    Set<String> identityVerifiers();

    Password password();

    Codes codes();

    Login login();

    Staff staff();

    Minors minors();

    Holder holder();

    Retention retention();

    Payment payment();

    Usage usage();

    Invitations invitations();

    /** Password hashing: Argon2id (libargon2 where installed, else BouncyCastle). */
    interface Password {
        /** Argon2id memory in KiB; default {@code 19456} (19 MiB, OWASP's minimum for Argon2id). */
        @WithDefault("19456")
        int memoryKib();

        /** Argon2id iterations; default {@code 2}. */
        @WithDefault("2")
        int iterations();

        /** Argon2id lanes; default {@code 1}. */
        @WithDefault("1")
        int parallelism();

        /**
         * Hashes computed at once (each holds {@code memory-kib}); {@code 0}, the default, derives it from
         * the heap (a quarter of it) and the cores (one per core), whichever is smaller.
         */
        @WithDefault("0")
        int maxConcurrent();

        /** Shortest password accepted; default {@code 10}. */
        @WithDefault("10")
        int minLength();
    }

    /** Verification codes. */
    interface Codes {
        /** How long a code is valid; default {@code PT10M}. */
        @WithDefault("PT10M")
        Duration ttl();

        /** Wrong tries before a code is dead; default {@code 5}. */
        @WithDefault("5")
        int maxAttempts();

        /** Codes sent to one contact value per window; default {@code 5}. */
        @WithDefault("5")
        int perContact();

        /** Codes requested from one client address per window; default {@code 20}. */
        @WithDefault("20")
        int perAddress();

        /** The rate-limit window; default {@code PT1H}. */
        @WithDefault("PT1H")
        Duration window();

        /**
         * Code confirmations (right or wrong guesses, any code) evaluated for one client address per window; default
         * {@code 30}. A right code is given back.
         */
        @WithDefault("30")
        int guessesPerAddress();

        /**
         * How long the old address of a changed email or mobile is kept for the notice that tells it of the change
         * (notification-service fetches it); default {@code P1D}.
         */
        @WithDefault("P1D")
        Duration noticeTtl();

        /** Holder client ids allowed to fetch a code and its address for delivery; default {@code notification-service}. */
        @WithDefault("notification-service")
        Set<String> secretReaders();

        /** An unverified registration is dropped after this, freeing its user name, email and mobile; default {@code P1D}. */
        @WithDefault("P1D")
        Duration unverifiedTtl();

        /**
         * How long a value staged for a correction request is kept (unapplied: then dropped; applied: its outcome, for a
         * command delivered again); default {@code P60D}, past any correction's due date.
         */
        @WithDefault("P60D")
        Duration correctionTtl();
    }

    /** Login and sessions. */
    interface Login {
        /** Failed passwords in a row before the account is locked; default {@code 5}. */
        @WithDefault("5")
        int maxFailures();

        /** How long a lock lasts; default {@code PT15M}. */
        @WithDefault("PT15M")
        Duration lockFor();

        /** Refresh-token (session) lifetime; default {@code P30D}. */
        @WithDefault("P30D")
        Duration sessionTtl();

        /**
         * Failed passwords (logins and contact-change confirmations, any account, unknown ids too) from one client
         * address per {@code address-window}; default {@code 20}. Past it: 429 with {@code Retry-After}.
         */
        @WithDefault("20")
        int perAddress();

        /** The window of {@code per-address}; default {@code PT15M}. */
        @WithDefault("PT15M")
        Duration addressWindow();
    }

    /** Staff accounts (package {@code io.pledge.account.staff}). */
    interface Staff {
        /** Lifetime of a staff access token; default {@code PT10M}. */
        @WithDefault("PT10M")
        Duration accessTokenTtl();

        /** A staff session ends this long after sign-in whatever the refreshes; default {@code PT8H}. */
        @WithDefault("PT8H")
        Duration sessionTtl();

        /** How long a one-time enrolment token is good; default {@code PT24H}. */
        @WithDefault("PT24H")
        Duration enrolmentTtl();

        /** Failed sign-ins in a row before the staff member is locked; default {@code 5}. */
        @WithDefault("5")
        int maxFailures();

        /** How long such a lock lasts; default {@code PT15M}. */
        @WithDefault("PT15M")
        Duration lockFor();

        /** Base of the enrolment link printed for a new staff member; default {@code https://pledge.local/staff/enrolment}. */
        @WithDefault("https://pledge.local/staff/enrolment")
        String enrolmentUrl();

        /** File in {@code secret-dir} holding the bootstrap secret {@code deploy/local/admin} presents; default {@code staff-bootstrap-secret}. */
        @WithDefault("staff-bootstrap-secret")
        String bootstrapSecretFile();

        /** The first administrator from a cluster Secret ({@code pledge-first-admin}); absent on the embedded default. */
        FirstAdmin firstAdmin();
    }

    /** The first administrator created at start-up when none with that login exists yet. */
    interface FirstAdmin {
        /** Login name; default none (nothing is created). */
        java.util.Optional<String> login();

        /** Display name; default {@code Administrator}. */
        @WithDefault("Administrator")
        String displayName();

        /** One-time enrolment token the operator hands to that administrator; default none. */
        java.util.Optional<String> enrolmentToken();
    }

    /** Minors (policy 7). */
    interface Minors {
        /** Below this age (a minor, policy 7.1) an account waits for a guardian's consent; default {@code 18}. */
        @WithDefault("18")
        int guardianAge();

        /**
         * Below this age (a child, policy 7.4) the child rules apply as well: the child's information beyond registration
         * is given by the guardian, never by the child; default {@code 14}.
         */
        @WithDefault("14")
        int childAge();

        /** Minimum age of a guardian; default {@code 18}. */
        @WithDefault("18")
        int adultAge();

        /** Days an unconsented minor's data is kept before it is erased; default {@code 30}. */
        @WithDefault("30")
        int eraseAfterDays();

        /** How often the sweep runs; default {@code 1h}. */
        @WithDefault("1h")
        String sweepEvery();
    }

    /** Holder access to contact data. */
    interface Holder {
        /** Purposes that need no consent (necessary for the service or its security); default {@code account-security,service-notice,verification-code}. */
        @WithDefault("account-security,service-notice,verification-code")
        Set<String> necessaryPurposes();

        /** Timeout of one consent check; default {@code PT2S}. */
        @WithDefault("PT2S")
        Duration consentTimeout();

        /** Largest batch of subject ids; default {@code 1000}. */
        @WithDefault("1000")
        int maxBatch();

        /**
         * Holder clients that may look up contact data ({@code POST /internal/v1/contacts}, with scope
         * {@code contact:read}); default {@code notification-service}.
         */
        @WithDefault("notification-service")
        Set<String> contactReaders();
    }

    /** What is kept after erasure, by law (policy 5.4). */
    interface Retention {
        /** Legal basis code for keeping a verified real-name record; default {@code INTERNET_REAL_NAME_RULES}. */
        @WithDefault("INTERNET_REAL_NAME_RULES")
        String realNameBasis();

        /** How long a verified real-name record is kept after cancellation; default {@code P3Y}. */
        @WithDefault("P3Y")
        Period realNamePeriod();

        /** Categories this service holds (breach measures); default {@code account,contact,profile,real-name,session,payment,usage}. */
        @WithDefault("account,contact,profile,real-name,session,payment,usage")
        List<String> categories();
    }

    /** Payment data (policy 2.1.1(3)): who may read it, and who it may ever be given to. */
    interface Payment {
        /** Holder clients that may read payment profiles and ask for their disclosure; default {@code billing}. */
        @WithDefault("billing")
        Set<String> holders();

        /** Purposes a payment-profile read or disclosure may serve; default {@code billing}. */
        @WithDefault("billing")
        Set<String> purposes();

        /**
         * The affiliated payment processors payment data may be disclosed to; any other recipient is an
         * unrelated third party and refused; default {@code alipay,wechat-pay,unionpay}.
         */
        @WithDefault("alipay,wechat-pay,unionpay")
        Set<String> affiliatedRecipients();
    }

    /** Device, log and location data (policy 2.1.2). */
    interface Usage {
        /** File (in {@code secret-dir}) of the secret that keys usage pseudonyms; default {@code usage-key}. */
        @WithDefault("usage-key")
        String secretFile();

        /** Token roles that may re-identify usage records, with a purpose; default {@code security-officer}. */
        @WithDefault("security-officer")
        Set<String> reidentifierRoles();

        /** Purposes a re-identification may serve; default {@code account-security,fraud-prevention}. */
        @WithDefault("account-security,fraud-prevention")
        Set<String> reidentificationPurposes();

        /** Leading bits of an IPv4 client address kept; default {@code 24}. */
        @WithDefault("24")
        int ipv4Prefix();

        /** Leading bits of an IPv6 client address kept; default {@code 48}. */
        @WithDefault("48")
        int ipv6Prefix();

        /** Usage records are deleted after this; default {@code P180D}. */
        @WithDefault("P180D")
        Duration retention();
    }

    /** Friend invitations (policy 2.2.1). */
    interface Invitations {
        /** Invitations one subject may send per window; default {@code 10}. */
        @WithDefault("10")
        int perInviter();

        /** Invitations to one email address per window, from anyone; default {@code 3}. */
        @WithDefault("3")
        int perInvitee();

        /** The rate-limit window; default {@code P1D}. */
        @WithDefault("P1D")
        Duration window();

        /** An invitation not fetched for sending by then is erased unsent; default {@code PT24H}. */
        @WithDefault("PT24H")
        Duration ttl();

        /** How often expired invitations are swept; default {@code 10m}. */
        @WithDefault("10m")
        String sweepEvery();
    }
}
