package io.pledge.notification.breach;

import io.pledge.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Breach incidents (policy 5.3): security officers declare and follow them; privacy officers read them. */
@Path("/v1/incidents")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class IncidentResource {

    /** More affected subjects for an incident declared by subject list. */
    public record AffectedSubjects(@NotEmpty @Size(max = 5000) List<@NotNull UUID> subjectIds) {
    }

    private final Incidents incidents;
    private final RegulatorReport reports;
    private final JsonWebToken jwt;

    public IncidentResource(Incidents incidents, RegulatorReport reports, JsonWebToken jwt) {
        this.incidents = incidents;
        this.reports = reports;
        this.jwt = jwt;
    }

    @POST
    @RolesAllowed(Roles.SECURITY_OFFICER)
    @Operation(summary = "Declare an incident: five parts in zh-CN and en, categories, affected subjects or categories; "
            + "notices start at once (Idempotency-Key honoured)")
    public Response declare(@Valid @NotNull Declaration d, @HeaderParam("Idempotency-Key") String key) {
        IncidentView v = incidents.declare(d, jwt.getSubject(), key);
        return Response.status(201).entity(v).build();
    }

    @GET
    @RolesAllowed({Roles.SECURITY_OFFICER, Roles.PRIVACY_OFFICER})
    @Operation(summary = "Every incident with its notice progress")
    public List<IncidentView> list() {
        return incidents.list();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.SECURITY_OFFICER, Roles.PRIVACY_OFFICER})
    @Operation(summary = "An incident and its progress: notices, sent, delivered, failed, remaining")
    public IncidentView get(@PathParam("id") UUID id) {
        return incidents.view(id);
    }

    @POST
    @Path("{id}/affected-subjects")
    @RolesAllowed(Roles.SECURITY_OFFICER)
    @Operation(summary = "Add affected subjects (an incident declared by subject list); each gets its notices once")
    public IncidentView addSubjects(@PathParam("id") UUID id, @Valid @NotNull AffectedSubjects body) {
        return incidents.addSubjects(id, body.subjectIds());
    }

    @POST
    @Path("{id}/announcement")
    @RolesAllowed(Roles.SECURITY_OFFICER)
    @Operation(summary = "Publish the incident's public announcement now (individual notice impractical)")
    public IncidentView announce(@PathParam("id") UUID id) {
        return incidents.announceNow(id);
    }

    @GET
    @Path("{id}/regulator-report")
    @Produces({MediaType.APPLICATION_JSON, "text/markdown"})
    @RolesAllowed({Roles.SECURITY_OFFICER, Roles.PRIVACY_OFFICER})
    @Operation(summary = "The regulator report: five parts, counts, timeline, delivery statistics (JSON or text/markdown)")
    public Response report(@PathParam("id") UUID id, @HeaderParam("Accept") String accept) {
        if (accept != null && accept.contains("text/markdown")) {
            return Response.ok(reports.markdown(id), "text/markdown; charset=utf-8").build();
        }
        return Response.ok(reports.report(id), MediaType.APPLICATION_JSON).build();
    }
}
