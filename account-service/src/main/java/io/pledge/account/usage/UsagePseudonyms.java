package io.pledge.account.usage;

import io.pledge.account.config.AccountConfig;
import io.pledge.account.registration.LookupKey;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * The pseudonymous id usage records carry instead of the subject id (policy 2.1.2): HMAC-SHA256 of
 * the subject id under a secret of its own ({@code secret-dir/usage-key}, 0600, generated on first
 * start on the embedded default, mounted in production). Without the secret a record cannot be tied
 * to an account; with it, this service derives the pseudonym to serve an authorised re-identification,
 * the subject's own access and export, and erasure. Kept apart from the lookup secret so that one
 * leaking does not re-identify the other's data.
 */
@Startup
@ApplicationScoped
public class UsagePseudonyms {

    private final byte[] key;

    public UsagePseudonyms(AccountConfig config) {
        this.key = LookupKey.secret(config, config.usage().secretFile());
    }

    /** The subject's usage pseudonym (64 hex characters). */
    public String of(UUID subject) {
        return LookupKey.hmac(key, "usage-subject:" + subject);
    }
}
