package io.pledge.account.holder;

import io.pledge.events.account.PersonalDataAccessed;
import io.pledge.kit.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Records a read of personal data (policy 5.2.3) as {@code PersonalDataAccessed}: who, whose, which fields, why. */
@ApplicationScoped
public class AccessAudit {

    private static final Pattern ACCESSOR = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$");

    private final Outbox outbox;

    public AccessAudit(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Whether a token subject can be named as an accessor (client ids and UUIDs, never an email). */
    public static boolean validAccessor(String accessorId) {
        return accessorId != null && ACCESSOR.matcher(accessorId).matches();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(UUID subject, String accessorId, String accessorRole, List<String> fields, String purposeId) {
        outbox.publish(new PersonalDataAccessed(subject, accessorId, accessorRole, fields, purposeId, Instant.now()));
    }
}
