package io.pledge.notification.breach;

import static io.pledge.notification.support.Officers.declaration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.pledge.notification.delivery.Delivery;
import io.pledge.notification.delivery.DeliveryStore;
import io.pledge.notification.delivery.DeliveryWorker;
import io.pledge.notification.smtp.EmbeddedSmtp;
import io.pledge.kit.testing.Db;
import io.pledge.notification.support.Mails;
import io.pledge.notification.support.Officers;
import io.pledge.notification.support.StubServices;
import io.quarkus.logging.Log;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A breach campaign over 10,000 subjects sends each exactly one notice, across the two ways a sending process
 * stops: (1) a crash right after a claim committed — simulated by claiming a batch here, through the worker's own
 * {@link DeliveryStore#claim}, and abandoning it, exactly what a killed process leaves behind (rows SENDING under
 * a lease nobody renews); (2) a stop mid-campaign — the worker is stopped (it finishes the batch in hand and
 * claims nothing more), nothing is sent while it is down, and it is started again. Then the expansion is replayed
 * from its first subject, as a crash before the cursor's commit would replay a batch. Everything is real: the
 * database, the SMTP server (GreenMail, which counts what it received) and the topics; account-service's contact
 * lookup is {@link StubServices}.
 */
@QuarkusTest
class BreachCampaignRestartTest {

    private static final int SUBJECTS = 10_000;

    @Inject
    AgroalDataSource db;
    @Inject
    EmbeddedSmtp smtp;
    @Inject
    DeliveryWorker worker;
    @Inject
    DeliveryStore store;

    private static JsonPath incident(UUID id) {
        return Officers.security().when().get("/v1/incidents/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    /** Messages received per recipient among the campaign's subjects. */
    private Map<String, Integer> received(Set<String> addresses) {
        Map<String, Integer> out = new HashMap<>();
        for (MimeMessage m : smtp.received()) {
            String to = Mails.recipient(m);
            if (addresses.contains(to)) {
                out.merge(to, 1, Integer::sum);
            }
        }
        return out;
    }

    @Test
    @Tag("clause-5.3")
    void tenThousandSubjectsEachGetExactlyOneNoticeAcrossACrashAndAStop() {
        List<UUID> subjects = new ArrayList<>();
        Set<String> addresses = new HashSet<>();
        for (int i = 0; i < SUBJECTS; i++) {
            UUID s = UUID.randomUUID();
            subjects.add(s);
            addresses.add(StubServices.email(s));
        }
        worker.stop();
        try {
            UUID id = UUID.fromString(Officers.security().body(declaration("SUBJECTS", subjects.subList(0, SUBJECTS / 2), List.of("EMAIL")))
                    .when().post("/v1/incidents").then().statusCode(201).extract().path("incidentId"));
            Officers.security().body(Map.of("subjectIds", subjects.subList(SUBJECTS / 2, SUBJECTS).stream().map(UUID::toString).toList()))
                    .when().post("/v1/incidents/{id}/affected-subjects", id).then().statusCode(200);
            await().atMost(Duration.ofSeconds(120)).until(() -> incident(id).getLong("progress.notices") == SUBJECTS
                    && "SENDING".equals(incident(id).getString("progress.status")));
            assertThat(incident(id).getInt("affectedSubjects")).isEqualTo(SUBJECTS);

            // (1) a worker claims a batch and dies before sending it
            List<Delivery> abandoned = store.claim(200);
            assertThat(abandoned).hasSize(200);
            worker.start();

            // (2) stopped mid-campaign, then started again
            await().atMost(Duration.ofMinutes(5)).until(() -> incident(id).getLong("progress.delivered") >= SUBJECTS / 3);
            worker.stop();
            long deliveredAtStop = incident(id).getLong("progress.delivered");
            assertThat(deliveredAtStop).isLessThan(SUBJECTS);
            sleep(2000);
            assertThat(incident(id).getLong("progress.delivered")).as("nothing is sent while stopped").isEqualTo(deliveredAtStop);
            assertThat(received(addresses).values().stream().mapToInt(Integer::intValue).sum()).isEqualTo((int) deliveredAtStop);
            Log.infof("campaign stopped at %d of %d notices delivered", deliveredAtStop, SUBJECTS);
            worker.start();

            JsonPath done = await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> incident(id), j -> "DONE".equals(j.getString("progress.status")));
            assertThat(done.getLong("progress.delivered")).isEqualTo(SUBJECTS);
            assertThat(done.getLong("progress.failed")).isZero();
            assertThat(done.getLong("progress.remaining")).isZero();
            Map<String, Integer> got = received(addresses);
            assertThat(got).hasSize(SUBJECTS);
            assertThat(got.values()).allMatch(n -> n == 1);
            // the abandoned claims were taken over once their lease expired: a second attempt, one message each
            for (Delivery d : abandoned) {
                assertThat(Db.count(db, "select attempts from delivery where id = ? and status = 'SENT'", d.id)).isEqualTo(2);
            }

            // the expansion replayed from the first subject adds no notice and sends nothing more
            Db.exec(db, "update campaign set status = 'EXPANDING', cursor_subject = null, subjects = 0 where id = ?",
                    UUID.fromString(done.getString("campaignId")));
            await().atMost(Duration.ofSeconds(60)).until(() -> "DONE".equals(incident(id).getString("progress.status")));
            assertThat(incident(id).getLong("progress.notices")).isEqualTo(SUBJECTS);
            sleep(1500);
            assertThat(received(addresses).values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(SUBJECTS);
        } finally {
            worker.start();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
