package io.pledge.events.rights;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A holder leaves the registry and must erase everything it holds in the named categories (policy 4.1) and reply.
 *
 * @param requestId   the rights request (propagation ledger entry) replies refer to
 * @param holderId    the holder being offboarded
 * @param categories  the data categories concerned, from the holder registry
 * @param requestedAt when the command was issued
 */
public record HolderOffboardingRequested(UUID requestId, String holderId, List<String> categories,
                                         Instant requestedAt) implements PrivacyEvent {

    public HolderOffboardingRequested {
        categories = List.copyOf(categories);
    }

    /** Keyed by holder: an offboarding concerns no single subject. */
    @Override
    public String key() {
        return holderId;
    }

    @Override
    public String subject() {
        return null;
    }
}
