package io.pledge.notification.campaign;

import java.util.Map;

/**
 * A campaign's progress, counted from its deliveries: {@code notices} (one per subject and channel),
 * {@code sent} (handed to a provider at least once), {@code delivered} (accepted), {@code failed} (given up),
 * {@code remaining} (not yet final), {@code cancelled}, and the subjects reached on no channel.
 */
public record Progress(String status, int subjects, long notices, long sent, long delivered, long failed, long remaining,
                       long cancelled, long unreachedSubjects, Map<String, Map<String, Long>> byChannel) {
}
