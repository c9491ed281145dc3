package io.pledge.notification.holder;

import static org.assertj.core.api.Assertions.assertThat;

import io.pledge.events.EventTypes;
import io.pledge.events.rights.CorrectionRequested;
import io.pledge.kit.events.EventSchemas;
import io.pledge.notification.support.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * notification-service addressed with a correction (policy 6.2), on the real rights.commands and rights.replies
 * topics: it keeps no copy of a correctable field (contact values are read from account-service at each send), so
 * its signed reply says so, once, however often the command is delivered.
 */
@QuarkusTest
class CorrectionHolderTest {

    @Inject
    EventSchemas schemas;

    @Test
    @Tag("clause-6.2")
    void aCorrectionIsAnsweredNotHeldOnce() throws Exception {
        CorrectionRequested cmd = new CorrectionRequested(UUID.randomUUID(), UUID.randomUUID(), List.of("email", "mobile"),
                List.of("account-service", "notification-service"), Instant.now(), Instant.now().plus(Duration.ofDays(21)));
        String eventId = UUID.randomUUID().toString();
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.CORRECTION_REQUESTED, cmd, eventId);
            Topics.send(EventTypes.CORRECTION_REQUESTED, cmd, eventId);
            List<Topics.Published> got = Topics.read(topic, schemas,
                    Topics.has(EventTypes.HOLDER_REPLIED, cmd.requestId().toString(), 1), Duration.ofSeconds(30));
            got = new java.util.ArrayList<>(got);
            got.addAll(Topics.read(topic, schemas, l -> false, Duration.ofSeconds(3)));
            List<Topics.Published> mine = got.stream().filter(p -> p.is(EventTypes.HOLDER_REPLIED)
                    && p.body().contains(cmd.requestId().toString())).toList();
            assertThat(mine).hasSize(1);
            JsonObject r = mine.get(0).json();
            assertThat(r.getString("holderId")).isEqualTo("notification-service");
            assertThat(r.getString("command")).isEqualTo("CorrectionRequested");
            assertThat(r.getString("outcome")).isEqualTo("NOT_HELD");
            assertThat(r.containsKey("counts")).isFalse();
        }
    }
}
