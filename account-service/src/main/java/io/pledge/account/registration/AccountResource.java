package io.pledge.account.registration;

import io.pledge.account.profile.ProfileFields;
import io.pledge.account.verification.Verifications;
import io.pledge.kit.http.ClientAddresses;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /v1/accounts}: registration, and the account, profile and contact values of the caller (or a ward). */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    /** A new user name. */
    public record UserNameChange(@NotBlank @Size(max = 64) String userName) {
    }

    /**
     * A new email or mobile; it applies once the code sent to it is confirmed. {@code currentPassword}: the caller's
     * own password, required.
     */
    public record ContactChange(@NotBlank @Size(max = 320) String value,
                                @NotBlank @Size(max = 128) String currentPassword) {
        @Override
        public String toString() {
            return "ContactChange[]";
        }
    }

    private final RegistrationService registration;
    private final AccountService accounts;
    private final ClientAddresses addresses;

    public AccountResource(RegistrationService registration, AccountService accounts, ClientAddresses addresses) {
        this.registration = registration;
        this.accounts = accounts;
        this.addresses = addresses;
    }

    @POST
    @Path("v1/accounts")
    @PermitAll
    @Operation(summary = "Register; codes go to the mobile and the email (Idempotency-Key accepted)")
    public Response register(@Valid @NotNull RegistrationRequest r, @HeaderParam("Idempotency-Key") String key,
                             @Context HttpServerRequest http) {
        RegistrationService.Registered out = registration.register(r, key, addresses.of(http));
        return Response.status(201).entity(out).build();
    }

    @GET
    @Path("v1/accounts/{id}")
    @RolesAllowed("subject")
    @Operation(summary = "The account, contact values and profile of the caller or a ward")
    public AccountView get(@PathParam("id") UUID id) {
        return accounts.read(id);
    }

    @PUT
    @Path("v1/accounts/{id}/profile")
    @RolesAllowed("subject")
    @Operation(summary = "Replace the optional profile; a field left out is removed")
    public ProfileFields putProfile(@PathParam("id") UUID id, @Valid @NotNull ProfileFields fields) {
        return accounts.replaceProfile(id, fields);
    }

    @DELETE
    @Path("v1/accounts/{id}/profile/{field}")
    @RolesAllowed("subject")
    @Operation(summary = "Remove one optional profile field")
    public ProfileFields deleteProfileField(@PathParam("id") UUID id,
                                            @PathParam("field") @Pattern(regexp = "[a-z]{1,16}") String field) {
        return accounts.removeProfileField(id, field);
    }

    @PUT
    @Path("v1/accounts/{id}/user-name")
    @RolesAllowed("subject")
    @Operation(summary = "Correct the user name")
    public Response putUserName(@PathParam("id") UUID id, @Valid @NotNull UserNameChange c) {
        accounts.changeUserName(id, c.userName());
        return Response.noContent().build();
    }

    @POST
    @Path("v1/accounts/{id}/contacts/{channel}")
    @RolesAllowed("subject")
    @Operation(summary = "Change email or mobile with the current password: a code goes to the new value (confirm with"
            + " purpose CONTACT_CHANGE); then the old address is told and every other session ends")
    public Response changeContact(@PathParam("id") UUID id,
                                  @PathParam("channel") @Pattern(regexp = "email|mobile") String channel,
                                  @Valid @NotNull ContactChange c, @Context HttpServerRequest http) {
        Verifications.Issued issued = accounts.requestContactChange(id, channel.toUpperCase(java.util.Locale.ROOT),
                c.value(), c.currentPassword(), addresses.of(http));
        return Response.accepted(issued).build();
    }
}
