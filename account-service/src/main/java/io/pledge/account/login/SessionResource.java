package io.pledge.account.login;

import io.pledge.kit.http.ClientAddresses;
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
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Login ({@code /v1/sessions}), refresh, logout, and compromise reports (policy 5.1). */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    /** Password login with an email or a mobile. */
    public record PasswordLogin(@NotBlank @Size(max = 320) String login, @NotBlank @Size(max = 128) String password) {
    }

    /** A refresh token to rotate. */
    public record Refresh(@NotBlank @Size(max = 100) String refreshToken) {
    }

    /** What a compromise report did. */
    public record CompromiseHandled(UUID subjectId, int sessionsRevoked, boolean passwordResetRequired) {
    }

    private final LoginService login;
    private final Caller caller;
    private final ClientAddresses addresses;

    public SessionResource(LoginService login, Caller caller, ClientAddresses addresses) {
        this.login = login;
        this.caller = caller;
        this.addresses = addresses;
    }

    @POST
    @Path("v1/sessions")
    @PermitAll
    @Operation(summary = "Log in with email or mobile and password: access token (RS256) and refresh token")
    public Response login(@Valid @NotNull PasswordLogin l, @Context HttpServerRequest http) {
        return Response.status(201).entity(login.login(l.login(), l.password(), addresses.of(http))).build();
    }

    @POST
    @Path("v1/sessions/refresh")
    @PermitAll
    @Operation(summary = "Rotate a refresh token; a reused one revokes its session")
    public LoginService.Tokens refresh(@Valid @NotNull Refresh r) {
        return login.refresh(r.refreshToken());
    }

    @DELETE
    @Path("v1/sessions/current")
    @RolesAllowed(Roles.SUBJECT)
    @Operation(summary = "Log out: the caller's session and its refresh token stop working")
    public Response logout() {
        login.logout(caller.sessionId());
        return Response.noContent().build();
    }

    @POST
    @Path("v1/accounts/{id}/compromise-reports")
    @Consumes(MediaType.WILDCARD) // no body
    @RolesAllowed({Roles.SUBJECT, Roles.SUPPORT_AGENT})
    @Operation(summary = "Report a disclosed account or password: every session ends, a password reset is forced")
    public Response compromise(@PathParam("id") UUID id) {
        if (!caller.has(Roles.SUPPORT_AGENT)) {
            caller.self(id);
        } else if (id == null) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "An account id is required.", "id");
        }
        int n = login.reportCompromise(id);
        return Response.accepted(new CompromiseHandled(id, n, true)).build();
    }
}
