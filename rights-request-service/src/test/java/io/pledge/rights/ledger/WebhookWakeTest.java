package io.pledge.rights.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.pledge.kit.testing.Db;
import io.pledge.rights.support.AccountStub;
import io.pledge.rights.support.Api;
import io.pledge.rights.support.RightsBroker;
import io.pledge.rights.support.WebhookHolderServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A webhook holder gets its command when the command is committed, not at the watchdog's next tick: here the
 * watchdog ticks once an hour, so only the wake-up on commit can deliver within the test.
 */
@QuarkusTest
@TestProfile(WebhookWakeTest.IdleWatchdog.class)
@WithTestResource(value = RightsBroker.class, scope = TestResourceScope.GLOBAL)
class WebhookWakeTest {

    /** The test profile with a watchdog that does not tick while the test runs. */
    public static class IdleWatchdog implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pledge.rights.watchdog.every", "1h");
        }
    }

    private static WebhookHolderServer server;

    @Inject
    AgroalDataSource db;

    @BeforeAll
    static void start() {
        AccountStub.ensure();
        server = new WebhookHolderServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void retireRegisteredHolders() {
        Db.exec(db, "update holder set status = 'OFFBOARDED' where kind <> 'SERVICE'");
    }

    @Test
    void aCommittedWebhookCommandIsSentWithoutWaitingForTheWatchdog() throws Exception {
        String holder = "hook-wake-" + UUID.randomUUID().toString().substring(0, 8);
        WebhookHolderTest.register(holder, server.url("/wake"));
        UUID id = Api.submitVerified(UUID.randomUUID(), Map.of("type", "DELETION", "ground", "6.3.4"));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                server.calls("/wake").stream().anyMatch(c -> id.toString().equals(c.requestId())));
        assertThat(Db.count(db, "select count(*) from webhook_delivery where request_id = ? and holder_id = ? "
                + "and delivered_at is not null", id, holder)).isEqualTo(1);
    }
}
