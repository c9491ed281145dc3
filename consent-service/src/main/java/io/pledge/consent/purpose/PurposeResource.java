package io.pledge.consent.purpose;

import io.pledge.consent.ledger.Patterns;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.Roles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The purpose catalogue: public to read; privacy officers add purposes (policy 2.3). */
@Path("/v1/purposes")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PurposeResource {

    /** A new purpose; see {@link Purpose} for the fields. */
    public record NewPurpose(
            @NotNull @Pattern(regexp = Patterns.PURPOSE) String id,
            @NotBlank @Size(max = 500) String description,
            @NotBlank @Pattern(regexp = "^[0-9]+(\\.[0-9]+){0,3}$") String clause,
            @NotNull @Pattern(regexp = "^(CONSENT|CONTRACT_2_4_7|SECURITY_2_4_8|LEGAL_DUTY_2_4_10|ANONYMISED_2_4_9|"
                    + "NATIONAL_SECURITY_2_4_1|PUBLIC_INTEREST_2_4_2|CRIMINAL_INVESTIGATION_2_4_3|VITAL_INTERESTS_2_4_4|"
                    + "SELF_DISCLOSED_2_4_5|PUBLIC_SOURCES_2_4_6)$") String legalBasis,
            @NotNull @Pattern(regexp = "^(NECESSARY|OPT_IN|OPT_OUT)$") String mechanism,
            @NotEmpty @Size(max = 20) List<@NotNull @Pattern(regexp = Patterns.PURPOSE) String> dataCategories,
            boolean sensitive, boolean core, boolean perRecipient, boolean crossBorder, boolean tracking,
            boolean marketing) {
    }

    private final PurposeCatalogue catalogue;

    public PurposeResource(PurposeCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @GET
    @PermitAll
    @Operation(summary = "Every purpose of the catalogue with its legal basis and mechanism")
    public List<Purpose> all() {
        return catalogue.all();
    }

    @GET
    @Path("/{id}")
    @PermitAll
    @Operation(summary = "One purpose")
    public Purpose one(@PathParam("id") String id) {
        return catalogue.find(id).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
                "The purpose is not in the catalogue (policy 2.3)."));
    }

    @POST
    @RolesAllowed(Roles.PRIVACY_OFFICER)
    @Operation(summary = "Add a purpose; consent is requested from every known subject (policy 2.3)")
    public Response add(@Valid @NotNull NewPurpose p) {
        Purpose added = catalogue.add(new Purpose(p.id(), p.description(), p.clause(), p.legalBasis(), p.mechanism(),
                p.dataCategories(), p.sensitive(), p.core(), p.perRecipient(), p.crossBorder(), p.tracking(), p.marketing(),
                Instant.now().truncatedTo(ChronoUnit.MICROS)));
        return Response.status(201).entity(added).build();
    }
}
