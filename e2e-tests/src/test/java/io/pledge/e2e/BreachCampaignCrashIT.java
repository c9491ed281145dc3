package io.pledge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pledge.events.EventJson;
import io.pledge.events.EventTypes;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A breach campaign survives {@code kill -9} of the packaged notification-service ({@link PledgeSystem}): real
 * subjects registered and verified at account-service, a breach declared by a security officer over them (and over
 * subjects account-service does not know, so that the campaign lasts long enough to be cut), notification-service
 * killed with SIGKILL while the campaign is sending and started again. Afterwards every real subject has exactly one
 * breach notice on each channel (EMAIL, SMS, PUSH) in the delivery records, each delivered, one
 * {@code NoticeDelivered} per subject and channel on the real notification.events topic (by event id: the outbox may
 * publish an event again after a crash, with the same id), and the SMS on the e2e SMS gateway. The mailboxes of the
 * embedded mail server live in the killed process's memory, so email is proven by the records and the events. A
 * message in flight at the very moment of the kill may reach its provider twice under the same notice and delivery
 * id (the documented at-least-once window, which the provider drops by {@code X-Pledge-Delivery}); it can never become
 * a second notice.
 */
@ExtendWith(PledgeSystem.class)
class BreachCampaignCrashIT {

    private static final int SUBJECTS = 12;
    private static final int UNKNOWN = 2_000;
    private static final List<String> CHANNELS = List.of("EMAIL", "SMS", "PUSH");

    @Test
    @Tag("clause-5.3")
    @Tag("notification-service")
    void everySubjectGetsExactlyOneBreachNoticePerChannelAcrossAKillOfNotificationService() throws Exception {
        List<Subjects.Person> people = register(SUBJECTS);
        List<UUID> affected = new ArrayList<>();
        people.forEach(p -> affected.add(p.id()));
        for (int i = 0; i < UNKNOWN; i++) {
            affected.add(UUID.randomUUID());
        }
        int notices = affected.size() * CHANNELS.size();
        String officer = Staff.token("security-officer");

        Map<String, Map<String, Set<String>>> delivered;
        String incident;
        try (KafkaConsumer<String, byte[]> events = Topics.tail("notification.events")) {
            incident = notification(officer).body(declaration(affected)).when().post("/v1/incidents")
                    .then().statusCode(201).extract().path("incidentId");

            // cut the campaign while it sends: some notices are final, others not
            JsonPath atKill = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> incident(Staff.token("security-officer"), incident), j -> j.get("progress") != null
                            && j.getLong("progress.delivered") + j.getLong("progress.failed") >= notices / 50);
            PledgeSystem.kill(PledgeSystem.NOTIFICATION);
            long finalAtKill = atKill.getLong("progress.delivered") + atKill.getLong("progress.failed");
            assertThat(finalAtKill).as("notices final when killed").isLessThan(notices);
            System.out.printf("BreachCampaignCrashIT: notification-service killed with %d of %d notices final%n", finalAtKill,
                    notices);
            PledgeSystem.restart(PledgeSystem.NOTIFICATION);

            // claims of the killed process are taken over when their lease (PT2M) expires
            JsonPath done = await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> incident(Staff.token("security-officer"), incident), j -> "DONE".equals(j.getString("progress.status")));
            assertThat(done.getLong("progress.notices")).isEqualTo(notices);
            assertThat(done.getLong("progress.delivered")).isEqualTo((long) SUBJECTS * CHANNELS.size());
            assertThat(done.getLong("progress.failed")).as("unknown to account-service: NO_CONTACT")
                    .isEqualTo((long) UNKNOWN * CHANNELS.size());
            assertThat(done.getLong("progress.remaining")).isZero();

            // read on a while, so that a late or repeated NoticeDelivered would show
            delivered = noticeDelivered(events, people, Duration.ofSeconds(10));
        }

        for (Subjects.Person p : people) {
            List<Map<String, Object>> breach = given().baseUri(PledgeSystem.NOTIFICATION.url()).auth().oauth2(p.access())
                    .when().get("/v1/notifications/{s}/export", p.id()).then().statusCode(200).extract().jsonPath()
                    .<Map<String, Object>>getList("messages").stream().filter(m -> "BREACH".equals(m.get("kind"))).toList();
            assertThat(breach).as("breach deliveries of a subject").extracting(m -> m.get("channel"))
                    .containsExactlyInAnyOrderElementsOf(CHANNELS);
            assertThat(breach).allSatisfy(m -> assertThat(m.get("status")).isEqualTo("SENT"));
            String notice = (String) breach.get(0).get("noticeId");
            assertThat(breach).extracting(m -> m.get("noticeId")).containsOnly(notice);
            for (String channel : CHANNELS) {
                assertThat(delivered.getOrDefault(p.id().toString(), Map.of()).getOrDefault(channel, Set.of()))
                        .as("NoticeDelivered events (distinct ids) for %s", channel).hasSize(1);
            }
            SmsInbox.Message sms = SmsInbox.await(p.mobile(), m -> notice.equals(m.noticeId()) && "SMS".equals(m.channel()),
                    Duration.ofSeconds(30));
            assertThat(sms.text()).contains(incident);
        }
    }

    // ---- helpers

    /** Registers and verifies {@code n} subjects, four at a time (Argon2id hashing is deliberately expensive). */
    private static List<Subjects.Person> register(int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Subjects.Person>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String tag = "breach" + i;
                futures.add(pool.submit(() -> Subjects.register(tag)));
            }
            List<Subjects.Person> out = new ArrayList<>();
            for (Future<Subjects.Person> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }

    private static Map<String, Object> declaration(List<UUID> subjects) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("title", text("账户数据泄露", "Account data exposure"));
        d.put("whatHappened", text("一个备份文件被未授权访问。", "A backup file was accessed without authorisation."));
        d.put("possibleEffects", text("您的联系方式可能被用于钓鱼。", "Your contact details may be used for phishing."));
        d.put("measuresTaken", text("我们已关闭该访问并轮换密钥。", "We closed the access and rotated keys."));
        d.put("selfProtection", text("请警惕可疑邮件并修改密码。", "Be wary of suspicious emails and change your password."));
        d.put("remedies", text("我们为您提供一年的身份保护服务。", "We offer one year of identity protection."));
        d.put("categories", List.of("contact"));
        d.put("affectedBy", "SUBJECTS");
        d.put("affectedSubjects", subjects.stream().map(UUID::toString).toList());
        d.put("channels", CHANNELS);
        d.put("occurredAt", "2026-11-20T08:00:00Z");
        d.put("discoveredAt", "2026-11-21T09:30:00Z");
        return d;
    }

    private static Map<String, String> text(String zh, String en) {
        return Map.of("zh-CN", zh, "en", en);
    }

    private static RequestSpecification notification(String token) {
        return given().baseUri(PledgeSystem.NOTIFICATION.url()).auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static JsonPath incident(String token, String id) {
        return notification(token).when().get("/v1/incidents/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    /** NoticeDelivered read from the topic for the given subjects: subject id → channel → distinct event ids. */
    private static Map<String, Map<String, Set<String>>> noticeDelivered(KafkaConsumer<String, byte[]> c,
                                                                         List<Subjects.Person> people, Duration within)
            throws Exception {
        Set<String> ids = new HashSet<>();
        people.forEach(p -> ids.add(p.id().toString()));
        Map<String, Map<String, Set<String>>> out = new HashMap<>();
        long end = System.currentTimeMillis() + within.toMillis();
        while (System.currentTimeMillis() < end) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                if (!EventTypes.NOTICE_DELIVERED.type().equals(header(r, "ce_type"))) {
                    continue;
                }
                JsonNode body = EventJson.mapper().readTree(r.value());
                String subject = body.path("subjectId").asText();
                if (ids.contains(subject)) {
                    out.computeIfAbsent(subject, k -> new HashMap<>())
                            .computeIfAbsent(body.path("channel").asText(), k -> new HashSet<>()).add(header(r, "ce_id"));
                }
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }
}
