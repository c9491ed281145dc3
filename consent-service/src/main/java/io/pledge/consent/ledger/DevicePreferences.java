package io.pledge.consent.ledger;

import io.pledge.consent.purpose.Purpose;
import io.pledge.consent.purpose.PurposeCatalogue;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Cookie preferences of a visitor without an account, per device (policies 3.1, 3.2): a random device id the browser
 * keeps, never personal data. A DNT or Sec-GPC signal refuses the tracking cookies whatever the visitor chose; when
 * the visitor signs in ({@link #claim}) the device's choices go to the subject's ledger and the device's rows go.
 */
@ApplicationScoped
@Transactional
public class DevicePreferences {

    /** One stored choice of a device. */
    public record Choice(String purposeId, String status, String signal, Instant updatedAt) {
    }

    private final EntityManager em;
    private final PurposeCatalogue catalogue;
    private final ConsentLedger ledger;

    public DevicePreferences(EntityManager em, PurposeCatalogue catalogue, ConsentLedger ledger) {
        this.em = em;
        this.catalogue = catalogue;
        this.ledger = ledger;
    }

    /**
     * Stores a device's choices ({@code purposeId → GIVEN|REFUSED}) for cookie purposes only; with a signal every
     * tracking purpose is REFUSED (and a grant of one is a 409 problem without {@code confirmOverSignal}).
     */
    public List<Choice> save(UUID device, Map<String, String> choices, String signal, boolean confirmOverSignal) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (Map.Entry<String, String> c : choices.entrySet()) {
            Purpose p = catalogue.require(c.getKey(), "choices");
            if (!p.clause().startsWith("3.") || p.necessary()) {
                throw new ProblemException(ProblemType.UNPROCESSABLE, "A device without an account sets only the "
                        + "cookie and tracking choices of policy 3 (necessary cookies are always on).", "choices");
            }
            if (!"GIVEN".equals(c.getValue()) && !"REFUSED".equals(c.getValue())) {
                throw new ProblemException(ProblemType.INVALID_INPUT, "A choice is GIVEN or REFUSED.", "choices");
            }
            if ("GIVEN".equals(c.getValue()) && p.tracking() && signal != null && !confirmOverSignal) {
                throw new ProblemException(ProblemType.CONFLICT, "The browser sends a " + signal + " opt-out signal; "
                        + "opting in to tracking needs confirmOverSignal (policy 3.1).", "confirmOverSignal");
            }
        }
        for (Map.Entry<String, String> c : choices.entrySet()) {
            upsert(device, c.getKey(), c.getValue(), signal, now);
        }
        if (signal != null) {
            for (Purpose t : catalogue.tracking()) {
                if (!"GIVEN".equals(choices.get(t.id()))) { // a grant here was confirmed over the signal (checked above)
                    upsert(device, t.id(), "REFUSED", signal, now);
                }
            }
        }
        return of(device);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Choice> of(UUID device) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select purpose_id, status, signal, updated_at from device_preference "
                + "where device_id = ?1 order by purpose_id").setParameter(1, device).getResultList();
        return rows.stream().map(r -> new Choice((String) r[0], (String) r[1], (String) r[2], Sql.instant(r[3]))).toList();
    }

    /** The signed-in subject takes over the device: its choices are applied to the subject's ledger, its rows deleted. */
    public List<RecordView> claim(UUID subject, UUID device, ConsentLedger.Evidence evidence) {
        List<Choice> choices = of(device);
        List<RecordView> made = ledger.applyDevice(subject, choices, evidence);
        em.createNativeQuery("delete from device_preference where device_id = ?1").setParameter(1, device).executeUpdate();
        return made;
    }

    private void upsert(UUID device, String purpose, String status, String signal, Instant now) {
        em.createNativeQuery("insert into device_preference (device_id, purpose_id, status, signal, updated_at) "
                        + "values (?1, ?2, ?3, ?4, ?5) on conflict (device_id, purpose_id) do update set status = excluded.status, "
                        + "signal = excluded.signal, updated_at = excluded.updated_at")
                .setParameter(1, device).setParameter(2, purpose).setParameter(3, status).setParameter(4, Sql.text(signal))
                .setParameter(5, Sql.time(now)).executeUpdate();
    }
}
