package io.pledge.consent.ledger;

import io.pledge.consent.ledger.ConsentLedger.Evidence;
import io.pledge.kit.security.Roles;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Cookie choices of a visitor without an account, per device (policies 3.1, 3.2): a random device id the browser keeps
 * in a first-party cookie, no personal data; DNT / Sec-GPC refuse the tracking cookies; when the visitor signs in,
 * {@code POST /v1/devices/{id}/claim} applies the device's choices to their ledger.
 */
@Path("/v1/devices/{deviceId}")
@Produces(MediaType.APPLICATION_JSON)
public class DeviceResource {

    /** A device's cookie choices: purpose id to GIVEN or REFUSED. */
    public record DeviceChoices(@NotNull @Size(max = 20) Map<String, String> choices, Boolean confirmOverSignal) {
    }

    /** A device's stored choices. */
    public record DeviceView(UUID deviceId, List<DevicePreferences.Choice> choices) {
    }

    /** What signing in on a device applied to the subject's ledger. */
    public record Claimed(UUID deviceId, List<RecordView> records) {
    }

    private final DevicePreferences devices;
    private final JsonWebToken caller;

    public DeviceResource(DevicePreferences devices, JsonWebToken caller) {
        this.devices = devices;
        this.caller = caller;
    }

    @GET
    @Path("/cookie-preferences")
    @PermitAll
    @Operation(summary = "A device's cookie choices (a visitor without an account)")
    public DeviceView device(@PathParam("deviceId") UUID deviceId) {
        return new DeviceView(deviceId, devices.of(deviceId));
    }

    @PUT
    @Path("/cookie-preferences")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a device's cookie choices; DNT / Sec-GPC refuse the tracking ones")
    public DeviceView save(@PathParam("deviceId") UUID deviceId, @Valid @NotNull DeviceChoices body,
                           @HeaderParam("DNT") String dnt, @HeaderParam("Sec-GPC") String gpc) {
        return new DeviceView(deviceId, devices.save(deviceId, body.choices(), SignalResource.signal(dnt, gpc),
                Boolean.TRUE.equals(body.confirmOverSignal())));
    }

    @POST
    @Path("/claim")
    @RolesAllowed(Roles.SUBJECT)
    @Operation(summary = "The signed-in subject takes over a device: its cookie choices go to their ledger")
    public Claimed claim(@PathParam("deviceId") UUID deviceId, @HeaderParam("User-Agent") String userAgent,
                         @Context HttpServerRequest http) {
        return new Claimed(deviceId, devices.claim(SignalResource.subject(caller), deviceId, new Evidence(null, userAgent,
                ConsentResource.network(http))));
    }

}
