package io.pledge.kit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** {@code pledge.crypto.*}: per-subject data keys and the key-encryption key that wraps them. */
@ConfigMapping(prefix = "pledge.crypto")
public interface CryptoConfig {

    /** Which KEK wraps data keys: {@code local-file} (embedded default) or {@code vault-transit}. */
    @WithDefault("local-file")
    String kek();

    /** The local KEK file, created with mode 0600 on first start (default under the data folder). */
    Optional<Path> localKekFile();

    /** Vault transit key name; one per service (default {@code pledge-<application name>}). */
    Optional<String> vaultKey();

    /** Unwrapped data keys kept in memory (default 10,000 subjects; 0 turns the cache off). */
    @WithDefault("10000")
    int cacheSize();

    /** How long an unwrapped data key stays cached (default 5 minutes). */
    @WithDefault("PT5M")
    Duration cacheTtl();

    /** Data keys re-wrapped per batch when the KEK rotates (default 500). */
    @WithDefault("500")
    int rewrapBatch();
}
