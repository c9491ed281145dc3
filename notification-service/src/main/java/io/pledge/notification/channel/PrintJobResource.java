package io.pledge.notification.channel;

import io.pledge.kit.access.AccessRecorder;
import io.pledge.kit.security.AllowedClients;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The print queue's export: the print provider (a holder) takes the letters waiting, each once. */
@Path("/internal/v1/print-jobs/export")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class PrintJobResource {

    /** One letter: the subject id (the provider reads the postal address from account-service), locale and text. */
    public record Letter(UUID jobId, UUID deliveryId, UUID subjectId, String locale, String subject, String body, Instant queuedAt) {
    }

    /** The one purpose the print provider reads letters for. */
    static final String LETTER_PRINTING = "letter-printing";

    private final EntityManager em;
    private final AccessRecorder access;

    public PrintJobResource(EntityManager em, AccessRecorder access) {
        this.access = access;
        this.em = em;
    }

    @POST
    @RolesAllowed(Roles.HOLDER)
    @AllowedClients(value = "*", scope = Scopes.PRINT_JOB_EXPORT)
    @Transactional
    @SuppressWarnings("unchecked")
    @Operation(summary = "Take up to `limit` queued letters; they are marked exported")
    public List<Letter> export(@QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        List<Object[]> rows = em.createNativeQuery("update print_job set exported_at = now() where id in (select id from print_job "
                + "where exported_at is null order by queued_at limit ?1 for update skip locked) "
                + "returning id, delivery_id, subject_id, locale, subject_line, body, queued_at").setParameter(1, limit).getResultList();
        List<Letter> letters = rows.stream().map(r -> new Letter((UUID) r[0], (UUID) r[1], (UUID) r[2], (String) r[3],
                (String) r[4], (String) r[5], toInstant(r[6]))).toList();
        // each letter taken is a read of its subject's data by the provider (policy 5.2.3), in this transaction
        for (Letter l : letters) {
            access.read(l.subjectId(), access.purpose(l.subjectId(), null, LETTER_PRINTING), List.of("letters"));
        }
        return letters;
    }

    private static Instant toInstant(Object o) {
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof java.time.OffsetDateTime t) {
            return t.toInstant();
        }
        return ((java.sql.Timestamp) o).toInstant();
    }
}
