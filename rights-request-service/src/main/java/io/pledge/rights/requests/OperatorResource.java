package io.pledge.rights.requests;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import io.pledge.rights.config.RightsConfig;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /v1/operator}: what operators must act on — requests due soon or overdue, and open escalations. */
@Path("/v1/operator")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"privacy-officer", "support-agent"})
public class OperatorResource {

    /** One open escalation, naming the holder (or the officers' queue) and the request. */
    public record EscalationView(UUID requestId, String holderId, String reason, Instant overdueSince,
                                 Instant escalatedAt) {
    }

    private final RightsConfig config;
    private final EntityManager em;

    public OperatorResource(RightsConfig config, EntityManager em) {
        this.config = config;
        this.em = em;
    }

    @GET
    @Path("requests")
    @Operation(summary = "Open requests that are due soon (within pledge.rights.deadlines.due-soon) or overdue")
    public List<RequestView> requests(@QueryParam("view") @DefaultValue("overdue") @Pattern(regexp = "due-soon|overdue") String view) {
        Instant now = Instant.now();
        List<RightsRequest> rs = "overdue".equals(view)
                ? RightsRequest.list("status in ?1 and dueAt < ?2 order by dueAt", open(), now)
                : RightsRequest.list("status in ?1 and dueAt >= ?2 and dueAt < ?3 order by dueAt", open(), now,
                now.plus(config.deadlines().dueSoon()));
        return rs.stream().map(RequestService::view).toList();
    }

    @GET
    @Path("escalations")
    @Operation(summary = "Open escalations: each names the holder and the request")
    @SuppressWarnings("unchecked")
    public List<EscalationView> escalations() {
        List<Object[]> rows = em.createNativeQuery("select request_id, holder_id, reason, overdue_since, escalated_at "
                + "from escalation where resolved_at is null order by escalated_at").getResultList();
        return rows.stream().map(r -> new EscalationView((UUID) r[0], (String) r[1], (String) r[2], instant(r[3]),
                instant(r[4]))).toList();
    }

    private static Instant instant(Object o) {
        return o instanceof Instant i ? i : o instanceof java.time.OffsetDateTime t ? t.toInstant()
                : ((java.sql.Timestamp) o).toInstant();
    }

    private static List<String> open() {
        return List.of(RequestStatus.AWAITING_VERIFICATION, RequestStatus.FEE_QUOTED, RequestStatus.IN_PROGRESS,
                RequestStatus.AWAITING_OPERATOR);
    }

    static Map<String, Object> none() {
        return Map.of();
    }
}
