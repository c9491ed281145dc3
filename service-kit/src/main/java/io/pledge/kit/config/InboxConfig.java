package io.pledge.kit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code pledge.inbox.*}: how consumers retry an effect that failed. */
@ConfigMapping(prefix = "pledge.inbox")
public interface InboxConfig {

    /**
     * Attempts before an event whose effect keeps failing with a non-transient error is sent to the
     * dead-letter topic (default 5). Transient failures (database unreachable) are retried until
     * they pass, holding the partition, so that nothing is lost and order is kept.
     */
    @WithDefault("5")
    int maxAttempts();

    /** First back-off between attempts, doubled each time (default 200 ms). */
    @WithDefault("PT0.2S")
    Duration initialBackoff();

    /** Longest back-off between attempts (default 10 s). */
    @WithDefault("PT10S")
    Duration maxBackoff();
}
