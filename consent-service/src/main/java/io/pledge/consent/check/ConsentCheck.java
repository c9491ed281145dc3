package io.pledge.consent.check;

import io.pledge.consent.check.ConsentView.Entry;
import io.pledge.consent.check.ConsentView.Key;
import io.pledge.consent.config.ConsentConfig;
import io.pledge.consent.purpose.Purpose;
import io.pledge.consent.purpose.PurposeCatalogue;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The hot path: may purpose P (for recipient R, to region G) be processed for subject S now, and why.
 * Answered from memory only ({@link PurposeCatalogue}, {@link ConsentView}); never waits on the database.
 */
@ApplicationScoped
public class ConsentCheck {

    /** The cross-border purpose whose grant (recipient, region, purposes) a transfer abroad needs (policy 5.4). */
    public static final String CROSS_BORDER = "cross-border-transfer";

    /** Why an answer is what it is. */
    public enum Reason {
        /** a consent is in force */
        GRANTED,
        /** the purpose is necessary for the service (2.2.1, 2.2.4) or required by law; no consent is asked */
        NECESSARY,
        /** an opt-out purpose the subject did not object to */
        NOT_OBJECTED,
        /** the subject withdrew consent (6.4) */
        WITHDRAWN,
        /** the subject refused, or a DNT/GPC signal opted out (3.1) */
        REFUSED,
        /** the consent lapsed */
        EXPIRED,
        /** consent was never given */
        NEVER_GRANTED,
        /** the purpose is not in the catalogue (2.3) */
        UNKNOWN_PURPOSE,
        /** the purpose needs consent per recipient and none covers this recipient (4.2) */
        RECIPIENT_NOT_COVERED,
        /** the region is abroad and no transfer consent covers this recipient, region and purpose (5.4) */
        REGION_NOT_COVERED,
        /** any purpose beyond the necessary for a cancelled account: no commercial use while its data is kept (5.4) */
        ACCOUNT_CANCELLED
    }

    /** One answer. */
    public record Answer(boolean permitted, Reason reason, UUID recordId) {
    }

    private final PurposeCatalogue catalogue;
    private final ConsentView view;
    private final String homeRegion;
    private final RegisteredRegions registered;

    public ConsentCheck(PurposeCatalogue catalogue, ConsentView view, ConsentConfig config, RegisteredRegions registered) {
        this.catalogue = catalogue;
        this.view = view;
        this.homeRegion = config.homeRegion();
        this.registered = registered;
    }

    public Answer check(UUID subject, String purposeId, String recipient, String stated, Instant now) {
        // a registered recipient is checked in the region it is registered in (5.4), whatever the caller says
        String region = registered.of(recipient).orElse(stated);
        Optional<Purpose> found = catalogue.find(purposeId);
        if (found.isEmpty()) {
            return new Answer(false, Reason.UNKNOWN_PURPOSE, null);
        }
        Purpose p = found.get();
        if (p.commercial() && view.isCancelled(subject)) {
            return new Answer(false, Reason.ACCOUNT_CANCELLED, null);
        }
        Map<Key, Entry> consents = view.of(subject);
        Answer base;
        if (p.necessary()) {
            base = new Answer(true, Reason.NECESSARY, null);
        } else if (p.perRecipient()) {
            if (recipient == null) {
                return new Answer(false, Reason.RECIPIENT_NOT_COVERED, null);
            }
            Entry e = consents.get(Key.of(p.id(), recipient, p.crossBorder() ? region : null));
            if (e == null) {
                boolean other = consents.keySet().stream().anyMatch(k -> k.purposeId().equals(p.id()));
                return new Answer(false, other ? Reason.RECIPIENT_NOT_COVERED : Reason.NEVER_GRANTED, null);
            }
            base = answer(e, p, now);
        } else {
            Entry e = recipient == null ? null : consents.get(Key.of(p.id(), recipient, null));
            if (e == null) {
                e = consents.get(Key.of(p.id(), null, null));
            }
            base = answer(e, p, now);
        }
        if (!base.permitted() || region == null || region.startsWith(homeRegion) || p.crossBorder()) {
            return base;
        }
        // a transfer abroad additionally needs the 5.4 consent for this recipient, region and purpose
        Entry transfer = recipient == null ? null : consents.get(Key.of(CROSS_BORDER, recipient, region));
        if (transfer == null || !answer(transfer, p, now).permitted() || !transfer.transferPurposes().contains(p.id())) {
            return new Answer(false, Reason.REGION_NOT_COVERED, transfer == null ? null : transfer.recordId());
        }
        return base;
    }

    private static Answer answer(Entry e, Purpose p, Instant now) {
        if (e == null) {
            return Purpose.OPT_OUT.equals(p.mechanism()) ? new Answer(true, Reason.NOT_OBJECTED, null)
                    : new Answer(false, Reason.NEVER_GRANTED, null);
        }
        return switch (e.status()) {
            case "GIVEN" -> e.expiresAt() != null && !now.isBefore(e.expiresAt())
                    ? new Answer(false, Reason.EXPIRED, e.recordId())
                    : new Answer(true, Reason.GRANTED, e.recordId());
            case "WITHDRAWN" -> new Answer(false, Reason.WITHDRAWN, e.recordId());
            case "REFUSED" -> new Answer(false, Reason.REFUSED, e.recordId());
            case "EXPIRED" -> new Answer(false, Reason.EXPIRED, e.recordId());
            default -> Purpose.OPT_OUT.equals(p.mechanism()) ? new Answer(true, Reason.NOT_OBJECTED, e.recordId())
                    : new Answer(false, Reason.NEVER_GRANTED, e.recordId());
        };
    }
}
