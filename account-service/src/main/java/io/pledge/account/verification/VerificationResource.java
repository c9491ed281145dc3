package io.pledge.account.verification;

import io.pledge.account.registration.RegistrationService;
import io.pledge.kit.http.ClientAddresses;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /v1/verifications}: request a code (registration resend, login, password reset) and confirm one. */
@Path("/v1/verifications")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class VerificationResource {

    /**
     * A code request: {@code REGISTRATION} with {@code subjectId} and {@code channel} (resend while
     * unverified), or {@code LOGIN} / {@code PASSWORD_RESET} with {@code login} (an email or a mobile).
     */
    public record CodeRequest(@NotNull @Pattern(regexp = "REGISTRATION|LOGIN|PASSWORD_RESET") String purpose,
                              @Size(max = 320) String login,
                              UUID subjectId,
                              @Pattern(regexp = "EMAIL|MOBILE") String channel) {
    }

    /** A code to confirm; {@code newPassword} only for PASSWORD_RESET. */
    public record Confirmation(@NotNull @Pattern(regexp = "REGISTRATION|LOGIN|PASSWORD_RESET|CONTACT_CHANGE|CORRECTION") String purpose,
                               @NotBlank @Size(max = 12) String code,
                               @Size(max = 128) String newPassword) {
    }

    private final VerificationFlow flow;
    private final RegistrationService registration;
    private final ClientAddresses addresses;

    public VerificationResource(VerificationFlow flow, RegistrationService registration, ClientAddresses addresses) {
        this.flow = flow;
        this.registration = registration;
        this.addresses = addresses;
    }

    @POST
    @Operation(summary = "Send a verification code (6 digits, 10 minutes, 5 tries); rate-limited per contact and address")
    public Response request(@Valid @NotNull CodeRequest r, @Context HttpServerRequest http) {
        String address = addresses.of(http);
        Verifications.Issued issued;
        if ("REGISTRATION".equals(r.purpose())) {
            if (r.subjectId() == null || r.channel() == null) {
                throw new ProblemException(ProblemType.INVALID_INPUT, "REGISTRATION needs subjectId and channel.",
                        r.subjectId() == null ? "subjectId" : "channel");
            }
            issued = registration.resend(r.subjectId(), r.channel(), address);
        } else {
            if (r.login() == null) {
                throw new ProblemException(ProblemType.INVALID_INPUT, "login is required.", "login");
            }
            issued = flow.request(r.purpose(), r.login(), address);
        }
        return Response.accepted(issued).build();
    }

    @POST
    @Path("/{id}/confirmation")
    @Operation(summary = "Confirm a code; the answer depends on its purpose (tokens for LOGIN); confirmations are"
            + " rate-limited per client address (429 with Retry-After)")
    public VerificationFlow.Confirmed confirm(@PathParam("id") UUID id, @Valid @NotNull Confirmation c,
                                              @Context HttpServerRequest http) {
        return flow.confirm(id, c.purpose(), c.code(), c.newPassword(), addresses.of(http));
    }
}
