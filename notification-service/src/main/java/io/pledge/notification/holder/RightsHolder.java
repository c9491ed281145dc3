package io.pledge.notification.holder;

import io.pledge.events.rights.BreachMeasuresRequested;
import io.pledge.events.rights.CorrectionRequested;
import io.pledge.events.rights.ErasureRequested;
import io.pledge.events.rights.ExportRequested;
import io.pledge.events.rights.HolderReplied;
import io.pledge.events.rights.ProcessingStopRequested;
import io.pledge.kit.holder.HolderSigner;
import io.pledge.kit.outbox.Outbox;
import io.pledge.notification.config.NotificationConfig;
import io.pledge.notification.delivery.DeliveryStore;
import io.pledge.notification.delivery.Kinds;
import io.pledge.notification.directory.SubjectDirectory;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * notification-service as a holder on {@code rights.commands}: erases the personal parts of a subject's
 * delivery records, exports a subject's messages, stops marketing or tracking for a withdrawn purpose and takes
 * its breach measures, each reply counting what it changed, replying {@code HolderReplied} on {@code rights.replies} in the same transaction.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class RightsHolder {

    public static final String HOLDER_ID = "notification-service";

    /** The incident categories whose measures this service takes (its registry categories, and contact data). */
    static final Set<String> BREACH_CATEGORIES = Set.of("contact", "notifications", "contact-usage");

    private final EntityManager em;
    private final Outbox outbox;
    private final HolderSigner signer;
    private final SubjectDirectory directory;
    private final DeliveryStore deliveries;
    private final NotificationConfig config;

    public RightsHolder(EntityManager em, Outbox outbox, SubjectDirectory directory, DeliveryStore deliveries,
                        NotificationConfig config, HolderSigner signer) {
        this.signer = signer;
        this.em = em;
        this.outbox = outbox;
        this.directory = directory;
        this.deliveries = deliveries;
        this.config = config;
    }

    public static boolean addressedHere(List<String> holderIds) {
        return holderIds.contains(HOLDER_ID);
    }

    /**
     * Pending notices are cancelled; every delivery record loses its subject id and parameters (campaign
     * statistics keep the anonymous row); queued letters and the directory entry are deleted.
     */
    public void erase(ErasureRequested e) {
        Instant now = Instant.now();
        em.createNativeQuery("update delivery set status = 'CANCELLED', reason_code = 'SUBJECT_ERASED', lease_until = null "
                + "where subject_id = ?1 and status = 'PENDING'").setParameter(1, e.subjectId()).executeUpdate();
        int rows = em.createNativeQuery("update delivery set subject_id = null, params = null, erased_at = ?2 where subject_id = ?1")
                .setParameter(1, e.subjectId()).setParameter(2, now).executeUpdate();
        int letters = em.createNativeQuery("delete from print_job where subject_id = ?1").setParameter(1, e.subjectId()).executeUpdate();
        int targets = em.createNativeQuery("delete from campaign_target where subject_id = ?1").setParameter(1, e.subjectId())
                .executeUpdate();
        int dir = directory.forget(e.subjectId());
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (rows > 0) {
            counts.put("delivery", rows);
        }
        if (letters > 0) {
            counts.put("letter", letters);
        }
        if (dir + targets > 0) {
            counts.put("directory", dir + targets);
        }
        String outcome = counts.isEmpty() ? "NOT_HELD" : "ERASED";
        Log.infof("erasure %s of subject %s: %s %s", e.requestId(), e.subjectId(), outcome, counts);
        publish(new HolderReplied(e.requestId(), HOLDER_ID, e.subjectId(), "ErasureRequested", outcome,
                counts.isEmpty() ? null : counts, null, null, null, now));
    }

    public void export(ExportRequested e) {
        long n = ((Number) em.createNativeQuery("select count(*) from delivery where subject_id = ?1")
                .setParameter(1, e.subjectId()).getSingleResult()).longValue();
        if (n == 0) {
            publish(new HolderReplied(e.requestId(), HOLDER_ID, e.subjectId(), "ExportRequested", "NOT_HELD",
                    null, null, null, null, Instant.now()));
            return;
        }
        String location = config.publicUrl().toString().replaceAll("/$", "") + "/v1/notifications/" + e.subjectId()
                + "/export?requestId=" + e.requestId();
        publish(new HolderReplied(e.requestId(), HOLDER_ID, e.subjectId(), "ExportRequested", "EXPORTED",
                Map.of("delivery", (int) n), null, location, null, Instant.now()));
    }

    /**
     * Policy 6.2: this service keeps no copy of a field a subject corrects (no name, address, email, mobile or profile
     * value: contact values are read from account-service at each send, so the next notice already goes to the
     * corrected value). There is nothing to drop or refresh here: {@code NOT_HELD}.
     */
    public void correct(CorrectionRequested e) {
        Log.infof("correction %s of subject %s: no copy of %s held here", e.requestId(), e.subjectId(), e.fields());
        publish(new HolderReplied(e.requestId(), HOLDER_ID, e.subjectId(), "CorrectionRequested", "NOT_HELD",
                null, null, null, null, Instant.now()));
    }

    /**
     * Policy 6.4 (and 3.2): a withdrawn marketing purpose cancels that subject's pending marketing on the purpose's
     * channels ({@code delivery}: deliveries cancelled); a withdrawn {@code email-tracking} untracks the subject's
     * delivered mail, so an open pixel or a click in a message already sent is no longer recorded
     * ({@code tracked-delivery}: deliveries untracked). Every later send asks consent-service again, so no new message
     * carries a pixel or marketing without consent. {@code APPLIED} when something changed here, {@code NOT_HELD}
     * when nothing here was affected (nothing pending or tracked, or a purpose this service does not process).
     */
    public void stop(ProcessingStopRequested e) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (Kinds.MARKETING_PURPOSES.contains(e.purposeId())) {
            int n = deliveries.cancelMarketing(e.subjectId(), e.purposeId());
            if (n > 0) {
                counts.put("delivery", n);
            }
        } else if (Kinds.TRACKING_PURPOSE.equals(e.purposeId())) {
            int n = em.createNativeQuery("update delivery set tracked = false where subject_id = ?1 and tracked")
                    .setParameter(1, e.subjectId()).executeUpdate();
            if (n > 0) {
                counts.put("tracked-delivery", n);
            }
        }
        String outcome = counts.isEmpty() ? "NOT_HELD" : "APPLIED";
        Log.infof("processing stop %s of %s for subject %s: %s %s", e.requestId(), e.purposeId(), e.subjectId(), outcome,
                counts);
        publish(new HolderReplied(e.requestId(), HOLDER_ID, e.subjectId(), "ProcessingStopRequested", outcome,
                counts.isEmpty() ? null : counts, null, null, null, Instant.now()));
    }

    /**
     * Policy 5.3: this service's own measure after an incident touching contact data or notifications: no marketing
     * goes out while subjects are being told about the incident (a message with an offer link is what a phishing
     * mail imitates), so every pending marketing delivery is cancelled with reason {@code BREACH_MEASURES}
     * ({@code delivery}: deliveries cancelled). The subjects' notices are its incident campaign, not affected.
     * {@code APPLIED} with that count when deliveries were cancelled, {@code NOT_HELD} when no affected category is
     * held here or nothing was pending.
     */
    public void breachMeasures(BreachMeasuresRequested e) {
        boolean held = e.categories().stream().anyMatch(BREACH_CATEGORIES::contains);
        int cancelled = held ? em.createNativeQuery("update delivery set status = 'CANCELLED', reason_code = 'BREACH_MEASURES', "
                + "lease_until = null where kind = 'MARKETING' and status = 'PENDING'").executeUpdate() : 0;
        String outcome = cancelled > 0 ? "APPLIED" : "NOT_HELD";
        Log.infof("breach measures %s for incident %s: %s, %d marketing deliveries cancelled", e.requestId(),
                e.incidentId(), outcome, cancelled);
        publish(new HolderReplied(e.requestId(), HOLDER_ID, null, "BreachMeasuresRequested", outcome,
                cancelled > 0 ? Map.of("delivery", cancelled) : null, null, null, null, Instant.now()));
    }

    /** Every reply leaves signed by this service's holder key (issue 16): rights-request-service counts no other. */
    private void publish(HolderReplied reply) {
        outbox.publish(signer.sign(reply));
    }
}
