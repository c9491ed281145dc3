package io.pledge.notification.cessation;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.pledge.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Cessation of operation (policy 6.9): a privacy officer schedules it; at least 30 days' notice. */
@Path("/v1/cessations")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class CessationResource {

    /** When operation ends, the statement to subjects in both languages, and the channels of the notice (EMAIL by default). */
    public record Schedule(@NotNull Instant endsAt, @NotNull @Valid Statement statement,
                           @Size(max = 5) List<@NotNull @Pattern(regexp = "EMAIL|SMS|PUSH|PHONE|LETTER") String> channels) {
    }

    /** The statement in both languages. */
    public record Statement(@JsonProperty("zh-CN") @NotBlank @Size(max = 4000) String zhCN,
                            @JsonProperty("en") @NotBlank @Size(max = 4000) String en) {
    }

    private final Cessations cessations;
    private final JsonWebToken jwt;

    public CessationResource(Cessations cessations, JsonWebToken jwt) {
        this.cessations = cessations;
        this.jwt = jwt;
    }

    @POST
    @RolesAllowed(Roles.PRIVACY_OFFICER)
    @Operation(summary = "Schedule the cessation of operation (at least 30 days ahead; Idempotency-Key honoured)")
    public Response schedule(@Valid @NotNull Schedule s, @HeaderParam("Idempotency-Key") String key) {
        Cessations.View v = cessations.schedule(s.endsAt(), Map.of("zh-CN", s.statement().zhCN(), "en", s.statement().en()),
                s.channels(), jwt.getSubject(), key);
        return Response.status(201).entity(v).build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.PRIVACY_OFFICER, Roles.SECURITY_OFFICER})
    @Operation(summary = "A cessation and the progress of its notices")
    public Cessations.View get(@PathParam("id") UUID id) {
        return cessations.view(id);
    }
}
