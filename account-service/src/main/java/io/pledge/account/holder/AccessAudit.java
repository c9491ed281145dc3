package io.pledge.account.holder;

import io.pledge.kit.access.AccessRecorder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/**
 * Records a read of personal data (policy 5.2.3) as {@code PersonalDataAccessed}: who, whose, which fields, why;
 * account-service's name for service-kit's {@link AccessRecorder}, for reads whose accessor and role it has checked.
 */
@ApplicationScoped
public class AccessAudit {

    private final AccessRecorder recorder;

    public AccessAudit(AccessRecorder recorder) {
        this.recorder = recorder;
    }

    /** Whether a token subject can be named as an accessor (client ids and UUIDs, never an email). */
    public static boolean validAccessor(String accessorId) {
        return AccessRecorder.validAccessor(accessorId);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(UUID subject, String accessorId, String accessorRole, List<String> fields, String purposeId) {
        recorder.record(subject, accessorId, accessorRole, fields, purposeId);
    }
}
