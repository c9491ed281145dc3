package io.pledge.account.staff;

import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.Roles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Staff sign-in ({@code /v1/staff/sessions}: password and TOTP or a recovery code), enrolment with a one-time token,
 * and the administrator's management of staff ({@code /v1/staff}).
 */
@Path("/v1/staff")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class StaffResource {

    /** Sign-in: {@code code} is the authenticator's 6-digit code or one unused recovery code. */
    public record StaffLogin(@NotBlank @Size(max = 64) String login, @NotBlank @Size(max = 128) String password,
                             @NotBlank @Size(max = 32) String code) {
    }

    /** Step 1 of enrolment: the one-time token and the password to set. */
    public record EnrolmentStart(@NotBlank @Size(max = 100) String token, @NotBlank @Size(max = 128) String password) {
    }

    /** Step 2 of enrolment: a code from the authenticator app. */
    public record EnrolmentConfirmation(@NotBlank @Size(max = 100) String token, @NotBlank @Size(max = 16) String code) {
    }

    /** A new staff member. */
    public record NewStaff(@NotBlank @Size(max = 64) String login, @NotBlank @Size(max = 200) String displayName,
                           @NotBlank @Size(max = 32) String role) {
    }

    /** A refresh token to rotate. */
    public record Refresh(@NotBlank @Size(max = 100) String refreshToken) {
    }

    /** The caller's live staff session. */
    public record CurrentSession(UUID staffId, UUID sessionId, String role, Instant expiresAt) {
    }

    private final StaffService staff;
    private final StaffCaller caller;

    public StaffResource(StaffService staff, StaffCaller caller) {
        this.staff = staff;
        this.caller = caller;
    }

    @POST
    @Path("sessions")
    @PermitAll
    @Operation(summary = "Staff sign-in with login, password and a TOTP code (or a recovery code, then used up)")
    public Response login(@Valid @NotNull StaffLogin l) {
        return Response.status(201).entity(staff.login(l.login(), l.password(), l.code())).build();
    }

    @POST
    @Path("sessions/refresh")
    @PermitAll
    @Operation(summary = "Rotate a staff refresh token (until the staff session ends); a reused one ends the session")
    public StaffService.Tokens refresh(@Valid @NotNull Refresh r) {
        return staff.refresh(r.refreshToken());
    }

    @GET
    @Path("sessions/current")
    @RolesAllowed({Roles.PRIVACY_OFFICER, Roles.SECURITY_OFFICER, Roles.SUPPORT_AGENT, Roles.ADMINISTRATOR})
    @Operation(summary = "The caller's staff session while it is live (401 once it ended); the caller can check its own session")
    public CurrentSession current() {
        StaffSession s = staff.liveSession(caller.staffId(), caller.sessionId());
        if (s == null) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "The staff session has ended; sign in again.");
        }
        return new CurrentSession(s.staffId, s.id, staff.view(s.staffId).role(), s.expiresAt);
    }

    @DELETE
    @Path("sessions/current")
    @RolesAllowed({Roles.PRIVACY_OFFICER, Roles.SECURITY_OFFICER, Roles.SUPPORT_AGENT, Roles.ADMINISTRATOR})
    @Operation(summary = "Staff logout: the session's tokens are refused by every service from now on")
    public Response logout() {
        staff.logout(caller.sessionId());
        return Response.noContent().build();
    }

    @POST
    @Path("enrolment")
    @PermitAll
    @Operation(summary = "Enrol with a one-time token: set the password, get the otpauth URI and 10 recovery codes (shown once)")
    public Response enrol(@Valid @NotNull EnrolmentStart e) {
        return Response.status(201).entity(staff.enrol(e.token(), e.password())).build();
    }

    @POST
    @Path("enrolment/confirmation")
    @PermitAll
    @Operation(summary = "Finish enrolment with a code from the authenticator app; the enrolment token is then used up")
    public Response confirm(@Valid @NotNull EnrolmentConfirmation c) {
        staff.confirm(c.token(), c.code());
        return Response.noContent().build();
    }

    @POST
    @RolesAllowed(Roles.ADMINISTRATOR)
    @Operation(summary = "Create a staff member (administrator): their one-time enrolment token and link")
    public Response create(@Valid @NotNull NewStaff n) {
        return Response.status(201).entity(staff.create(n.login(), n.displayName(), n.role(), caller.staffId())).build();
    }

    @GET
    @RolesAllowed(Roles.ADMINISTRATOR)
    @Operation(summary = "Every staff member (administrator)")
    public List<StaffService.View> list() {
        caller.staffId();
        return staff.list();
    }

    @POST
    @Path("{id}/disable")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.ADMINISTRATOR)
    @Operation(summary = "Disable a staff member (administrator): their sessions end everywhere")
    public StaffService.View disable(@PathParam("id") UUID id) {
        return staff.disable(id, caller.staffId());
    }

    @POST
    @Path("{id}/second-factor-reset")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.ADMINISTRATOR)
    @Operation(summary = "Reset a staff member's password and second factor (administrator): a new enrolment token")
    public StaffService.Invitation reset(@PathParam("id") UUID id) {
        return staff.resetSecondFactor(id, caller.staffId());
    }
}
