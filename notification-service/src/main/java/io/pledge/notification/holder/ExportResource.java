package io.pledge.notification.holder;

import io.pledge.kit.access.AccessPurposes;
import io.pledge.kit.access.AccessRecorder;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.AllowedClients;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import io.pledge.notification.campaign.NoticeTexts;
import io.pledge.notification.delivery.Delivery;
import io.pledge.notification.delivery.Kinds;
import io.pledge.notification.template.RenderedMessage;
import io.pledge.notification.template.Templates;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A subject's messages (policies 6.1, 6.6; the {@code exportLocation} of this service's EXPORTED reply): every
 * notice sent or pending, re-rendered from its template — without a verification code, which is never kept. A read
 * by anyone but the subject is recorded (policy 5.2.3); an officer names why ({@code purpose}).
 */
@Path("/v1/notifications/{subjectId}/export")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class ExportResource {

    /** One message as the subject received it (the code of a verification message masked). */
    public record Message(UUID noticeId, String kind, String templateId, String channel, String locale, String status,
                          Instant requestedAt, Instant sentAt, String subject, String text) {
    }

    /** notification-service's part of a subject's data package. */
    public record Export(UUID subjectId, UUID requestId, Instant exportedAt, List<Message> messages) {
    }

    private final JsonWebToken jwt;
    private final Templates templates;
    private final NoticeTexts texts;
    private final AccessRecorder access;

    public ExportResource(JsonWebToken jwt, Templates templates, NoticeTexts texts, AccessRecorder access) {
        this.access = access;
        this.jwt = jwt;
        this.templates = templates;
        this.texts = texts;
    }

    @GET
    @RolesAllowed({Roles.SUBJECT, Roles.HOLDER, Roles.PRIVACY_OFFICER})
    @AllowedClients(value = "rights-request-service", scope = Scopes.NOTIFICATION_EXPORT_READ)
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "The subject's messages (the subject, a holder such as rights-request-service, or a privacy officer)")
    public Export export(@PathParam("subjectId") UUID subjectId, @QueryParam("requestId") UUID requestId,
                         @QueryParam("purpose") String purpose) {
        boolean privileged = jwt.getGroups().contains(Roles.HOLDER) || jwt.getGroups().contains(Roles.PRIVACY_OFFICER);
        if (!privileged && !subjectId.toString().equals(jwt.getSubject())) {
            throw new ProblemException(ProblemType.FORBIDDEN, "A subject reaches only their own messages.");
        }
        // an officer names why (policy 5.2.3); rights-request-service reads for the export it assembles
        String why = access.purpose(subjectId, purpose, AccessPurposes.RIGHTS_EXPORT);
        List<Delivery> rows = Delivery.list("subjectId = ?1 order by requestedAt", subjectId);
        List<Message> out = rows.stream().map(this::message).toList();
        access.read(subjectId, why, List.of("notices", "deliveries"));
        return new Export(subjectId, requestId, Instant.now(), out);
    }

    private Message message(Delivery d) {
        String subject = null;
        String text = null;
        if (templates.exists(d.templateId)) {
            Map<String, Object> data = new HashMap<>();
            data.put("params", d.params());
            data.put("code", "******");
            data.put("unsubscribeUrl", "");
            try {
                if (Kinds.BREACH.equals(d.kind)) {
                    data.put("incident", texts.incident(d.params().get("incidentId"), d.locale));
                } else if (Kinds.CESSATION.equals(d.kind)) {
                    data.put("statement", texts.cessation(d.params().get("cessationId"), d.locale));
                }
                RenderedMessage m = templates.render(d.templateId, d.locale, data);
                subject = m.subject();
                text = m.text();
            } catch (RuntimeException e) {
                // a message that cannot be re-rendered is listed with its facts only
            }
        }
        return new Message(d.noticeId, d.kind, d.templateId, d.channel, d.locale, d.status, d.requestedAt, d.sentAt,
                subject, text);
    }
}
