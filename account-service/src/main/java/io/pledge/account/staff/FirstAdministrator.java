package io.pledge.account.staff;

import io.pledge.account.config.AccountConfig;
import io.pledge.account.registration.LookupKey;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Where the first administrator comes from. On a cluster: the Secret {@code pledge-first-admin} (login, display name
 * and a one-time enrolment token, as {@code pledge.account.staff.first-admin.*}) read at start-up. On the embedded
 * default: {@code deploy/local/admin create}, which presents the bootstrap secret
 * ({@code ${secret-dir}/staff-bootstrap-secret}, 0600, readable only by whoever runs the system) to
 * {@code POST /internal/v1/staff/first-administrator}. Both only work while no enrolled, active administrator exists.
 */
@Path("/internal/v1/staff/first-administrator")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class FirstAdministrator {

    /** The administrator to create. */
    public record FirstAdmin(@NotBlank @Size(max = 64) String login, @NotBlank @Size(max = 200) String displayName) {
    }

    private final StaffService staff;
    private final AccountConfig config;

    public FirstAdministrator(StaffService staff, AccountConfig config) {
        this.staff = staff;
        this.config = config;
    }

    void onStart(@Observes StartupEvent ev) {
        AccountConfig.FirstAdmin fa = config.staff().firstAdmin();
        if (config.generateSecretIfMissing()) {
            LookupKey.secret(config, config.staff().bootstrapSecretFile()); // create it now, for deploy/local/admin
        }
        if (fa.login().isEmpty() || fa.enrolmentToken().isEmpty()) {
            return;
        }
        if (fa.enrolmentToken().get().length() < 32) {
            throw new IllegalStateException("pledge.account.staff.first-admin.enrolment-token must have at least 32 characters");
        }
        try {
            StaffService.Invitation i = staff.firstAdministrator(fa.login().get(), fa.displayName(),
                    fa.enrolmentToken().get());
            Log.infof("first administrator %s may enrol until %s with the token of Secret pledge-first-admin",
                    i.staffId(), i.expiresAt());
        } catch (ProblemException e) {
            Log.infof("first administrator from pledge-first-admin not created: %s", e.getMessage());
        } catch (RuntimeException e) { // another replica created it at the same moment
            Log.infof("first administrator from pledge-first-admin not created here (%s)", e.getClass().getSimpleName());
        }
    }

    @POST
    @PermitAll
    @Operation(summary = "Create the first administrator (deploy/local/admin create): needs the bootstrap secret; "
            + "refused once an administrator has enrolled")
    public Response create(@HeaderParam("X-Pledge-Bootstrap-Secret") String secret, @Valid @NotNull FirstAdmin body) {
        byte[] expected;
        try {
            expected = HexFormat.of().formatHex(LookupKey.secret(config, config.staff().bootstrapSecretFile()))
                    .getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) { // no bootstrap secret here (a cluster): the Secret pledge-first-admin is the way
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "No bootstrap secret on this installation: the first administrator comes from pledge-first-admin.");
        }
        if (secret == null || !MessageDigest.isEqual(expected, secret.trim().getBytes(StandardCharsets.UTF_8))) {
            throw new ProblemException(ProblemType.FORBIDDEN, "The bootstrap secret is missing or wrong.");
        }
        return Response.status(201).entity(staff.firstAdministrator(body.login(), body.displayName())).build();
    }
}
