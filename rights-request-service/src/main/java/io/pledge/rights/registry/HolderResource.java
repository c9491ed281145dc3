package io.pledge.rights.registry;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /v1/holders}: the holder registry, edited by privacy officers. */
@Path("/v1/holders")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("privacy-officer")
public class HolderResource {

    private final Registry registry;
    private final HolderKeys keys;

    public HolderResource(Registry registry, HolderKeys keys) {
        this.registry = registry;
        this.keys = keys;
    }

    @GET
    @RolesAllowed({"privacy-officer", "support-agent"})
    @Operation(summary = "Every holder with its categories, purposes, region, channel, agreement, SLA and status")
    public List<HolderView> list() {
        return registry.list();
    }

    @GET
    @Path("keys")
    @PermitAll
    @Operation(summary = "Every holder's public signing keys (JWKs) with their validity: what a certificate's holder "
            + "statements are checked with offline; no personal data")
    public Map<String, Object> keys() {
        return Map.of("keys", keys.published());
    }

    @POST
    @Path("{id}/keys")
    @Operation(summary = "Add a public signing key (Ed25519 OKP or P-256 EC JWK) to a holder: a key rotation starts here")
    public Response addKey(@PathParam("id") @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,99}") String id,
                           @NotNull Map<String, Object> jwk) {
        return Response.status(201).entity(registry.addKey(id, jwk)).build();
    }

    @POST
    @Path("{id}/keys/{kid}/retirement")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Retire a holder's signing key: published still, it verifies only replies made before now")
    public Map<String, Object> retireKey(@PathParam("id") @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,99}") String id,
                                         @PathParam("kid") @Pattern(regexp = "[A-Za-z0-9_-]{1,64}") String kid) {
        return registry.retireKey(id, kid);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({"privacy-officer", "support-agent"})
    public HolderView get(@PathParam("id") @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,99}") String id) {
        return registry.get(id);
    }

    @POST
    @Operation(summary = "Register a downstream team, delegatee, partner, offshore recipient or transfer recipient")
    public Response register(@Valid @NotNull HolderRegistration in) {
        return Response.status(201).entity(registry.register(in)).build();
    }

    @PUT
    @Path("{id}")
    @Operation(summary = "Update a holder's categories, purposes, region, channel, agreement or SLA")
    public HolderView update(@PathParam("id") @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,99}") String id,
                             @Valid @NotNull HolderRegistration in) {
        return registry.update(id, in);
    }

    @POST
    @Path("{id}/kafka-credential")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Rotate a Kafka holder's broker password (shown in this answer only; the old one stops working)")
    public HolderView rotateKafkaCredential(@PathParam("id") @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,99}") String id) {
        return registry.rotateKafkaCredential(id);
    }

    @POST
    @Path("{id}/oauth-credential")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Rotate a holder's OAuth client secret (shown in this answer only; the old secret and every "
            + "token issued with it stop working)")
    public HolderView rotateOAuthCredential(@PathParam("id") @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,99}") String id) {
        return registry.rotateOAuthCredential(id);
    }

    @POST
    @Path("{id}/offboarding")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Offboard (policy 4.1): its OAuth client revoked at once, erase-or-return command, in-flight "
            + "requests resolved once it acknowledges, later ones no longer expect it")
    public Response offboard(@PathParam("id") @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,99}") String id) {
        Map<String, Object> out = registry.offboard(id);
        return Response.accepted(out).build();
    }
}
