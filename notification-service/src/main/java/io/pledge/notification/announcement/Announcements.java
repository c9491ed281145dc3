package io.pledge.notification.announcement;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Publishes announcements, once per reference (an incident, a cessation). */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Announcements {

    public Announcement publish(String kind, String ref, Map<String, String> title, Map<String, String> body) {
        Announcement existing = Announcement.find("ref", ref).firstResult();
        if (existing != null) {
            return existing;
        }
        Announcement a = new Announcement();
        a.id = UUID.randomUUID();
        a.kind = kind;
        a.ref = ref;
        a.title = Map.copyOf(title);
        a.body = Map.copyOf(body);
        a.publishedAt = Instant.now();
        a.persist();
        Log.infof("announcement %s published for %s", a.id, ref);
        return a;
    }
}
