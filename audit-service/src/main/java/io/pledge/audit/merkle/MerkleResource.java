package io.pledge.audit.merkle;

import io.pledge.audit.ledger.EntryHasher;
import io.pledge.kit.crypto.KeyPairFiles;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.Roles;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Signed checkpoints, the public key that signs them, and inclusion and consistency proofs. */
@Path("/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public class MerkleResource {

    private final Checkpoints checkpoints;
    private final CheckpointKeys keys;
    private final Proofs proofs;
    private final JsonWebToken token;

    public MerkleResource(Checkpoints checkpoints, CheckpointKeys keys, Proofs proofs, JsonWebToken token) {
        this.checkpoints = checkpoints;
        this.keys = keys;
        this.proofs = proofs;
        this.token = token;
    }

    /** The key signing now (top-level fields) and, in {@code keys}, every key that verifies a checkpoint. */
    public record PublicKeyView(String keyId, String algorithm, String publicKey, String pem, List<KeyView> keys) {
    }

    /** One verifying key under the {@code keyId} its checkpoints name. */
    public record KeyView(String keyId, String algorithm, String publicKey, String pem, boolean current) {
    }

    public record InclusionView(long seq, long treeSize, String entryHash, String leafHash, List<String> auditPath,
                                CheckpointView checkpoint) {
    }

    public record ConsistencyView(CheckpointView first, CheckpointView second, List<String> proof) {
    }

    @GET
    @Path("/public-key")
    @PermitAll
    @Operation(summary = "The public key that signs checkpoints and export bundles (X.509 DER in base64, and PEM), "
            + "and every key, current and retired, that verifies a checkpoint")
    public PublicKeyView publicKey() {
        CheckpointKeys.Signer current = keys.signer();
        List<KeyView> all = checkpoints.publicKeys().entrySet().stream()
                .map(k -> new KeyView(k.getKey(), Signatures.ALGORITHM, Base64.getEncoder().encodeToString(k.getValue()),
                        KeyPairFiles.toPem("PUBLIC KEY", k.getValue()), k.getKey().equals(current.keyId())))
                .toList();
        return new PublicKeyView(current.keyId(), Signatures.ALGORITHM,
                Base64.getEncoder().encodeToString(current.publicKeyDer()), KeyPairFiles.toPem("PUBLIC KEY", current.publicKeyDer()),
                all);
    }

    @GET
    @Path("/checkpoints")
    @Authenticated
    @Operation(summary = "Every signed checkpoint (Merkle root of entries [0, treeSize))")
    public List<CheckpointView> list() {
        return checkpoints.all().stream().map(CheckpointView::of).toList();
    }

    @POST
    @Path("/checkpoints")
    @RolesAllowed({Roles.PRIVACY_OFFICER, Roles.SECURITY_OFFICER})
    @Operation(summary = "Sign a checkpoint now if the ledger grew; returns the latest checkpoint")
    public CheckpointView checkpoint() {
        return checkpoints.checkpoint().map(CheckpointView::of)
                .orElseThrow(() -> new ProblemException(ProblemType.CONFLICT, "the ledger is empty"));
    }

    @GET
    @Path("/proofs/inclusion")
    @RolesAllowed({Roles.SUBJECT, Roles.PRIVACY_OFFICER, Roles.SECURITY_OFFICER})
    @Operation(summary = "Audit path of one entry against a checkpoint (default: the latest); a subject may ask for their own entries")
    public InclusionView inclusion(@QueryParam("seq") String seq, @QueryParam("treeSize") String treeSize) {
        Proofs.Inclusion p = proofs.inclusion(number(seq, "seq", true), treeSize == null ? null : number(treeSize, "treeSize", true));
        boolean officer = token.getGroups().contains(Roles.PRIVACY_OFFICER) || token.getGroups().contains(Roles.SECURITY_OFFICER);
        UUID subject = p.subjectId();
        if (!officer && (subject == null || !subject.toString().equals(token.getSubject()))) {
            throw new ProblemException(ProblemType.FORBIDDEN, "a subject may ask only about their own entries");
        }
        return new InclusionView(p.seq(), p.checkpoint().treeSize(), EntryHasher.hex(p.entryHash()),
                EntryHasher.hex(p.leafHash()), p.path().stream().map(EntryHasher::hex).toList(),
                CheckpointView.of(p.checkpoint()));
    }

    @GET
    @Path("/proofs/consistency")
    @Authenticated
    @Operation(summary = "Consistency proof: checkpoint 'first' is a prefix of checkpoint 'second' (RFC 6962 shape)")
    public ConsistencyView consistency(@QueryParam("first") String first, @QueryParam("second") String second) {
        Proofs.Consistency c = proofs.consistency(number(first, "first", true), number(second, "second", true));
        return new ConsistencyView(CheckpointView.of(c.first()), CheckpointView.of(c.second()),
                c.proof().stream().map(EntryHasher::hex).toList());
    }

    private static long number(String value, String field, boolean required) {
        if (value == null && required) {
            throw new ProblemException(ProblemType.INVALID_INPUT, field + " is required", field);
        }
        try {
            long v = Long.parseLong(value);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(ProblemType.INVALID_INPUT, field + " must be a non-negative integer", field);
    }
}
