package io.pledge.audit.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pledge.audit.ledger.AuditEntry;
import io.pledge.audit.ledger.EntryHasher;
import io.pledge.audit.merkle.Checkpoint;
import io.pledge.audit.merkle.Frontier;
import io.pledge.audit.merkle.Signatures;
import io.pledge.audit.verify.ChainVerifier;
import io.pledge.audit.verify.VerificationReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies a regulator bundle offline, with nothing but the JDK and Jackson: the bundle's signature, every entry's
 * hash and link, every checkpoint's signature and Merkle root. A bundle that starts at a checkpoint carries the Merkle
 * frontier there; it must fold to that checkpoint's signed root. Exit code 0 when all holds, 1 when not, 2 on a usage
 * or format error.
 *
 * <pre>
 * java -cp 'audit-service/target/quarkus-app/app/*:audit-service/target/quarkus-app/lib/main/*' \
 *     io.pledge.audit.export.VerifyBundle bundle.json [--trust &lt;keyId&gt;]
 * </pre>
 *
 * {@code --trust} pins the key id the bundle must be signed with (the one published at {@code /v1/audit/public-key}).
 */
public final class VerifyBundle {

    /**
     * The outcome.
     *
     * @param signatureValid the bundle's own signature verifies with the key it names (and the trusted key, if pinned)
     * @param signingKeyId   the key that signed the bundle
     * @param chain          the chain and checkpoint verification
     */
    public record Result(boolean signatureValid, String signingKeyId, VerificationReport chain) {
        public boolean valid() {
            return signatureValid && chain.valid();
        }
    }

    private VerifyBundle() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs like {@link #main} and returns the exit code. */
    public static int run(String[] args, PrintStream out) {
        if (args.length != 1 && !(args.length == 3 && "--trust".equals(args[1]))) {
            out.println("usage: VerifyBundle bundle.json [--trust <keyId>]");
            return 2;
        }
        Result r;
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            r = verify(in, args.length == 3 ? args[2] : null);
        } catch (IOException | RuntimeException e) {
            out.println("not a readable bundle: " + e.getClass().getSimpleName());
            return 2;
        }
        VerificationReport c = r.chain();
        out.println("bundle signature: " + (r.signatureValid() ? "valid" : "INVALID") + " (key " + r.signingKeyId() + ")");
        out.println("entries: " + c.entriesChecked() + ", checkpoints verified: " + c.checkpointsVerified()
                + ", redacted bodies: " + c.redactedBodies());
        if (c.firstBadSeq() != null) {
            out.println("first bad entry: seq " + c.firstBadSeq() + " (" + c.problem() + "): " + c.detail());
        }
        c.checkpointProblems().forEach(p -> out.println("checkpoint problem: " + p));
        out.println(r.valid() ? "VALID" : "INVALID");
        return r.valid() ? 0 : 1;
    }

    /** Verifies a bundle; {@code trustedKeyId} (or null) pins the signing key. */
    public static Result verify(InputStream in, String trustedKeyId) throws IOException {
        JsonNode bundle = new ObjectMapper().readTree(in);
        if (!BundleDigest.FORMAT.equals(bundle.path("format").asText())) {
            throw new IllegalArgumentException("not a " + BundleDigest.FORMAT + " bundle");
        }
        long from = bundle.path("from").asLong(0);
        long treeSize = bundle.path("treeSize").asLong();
        byte[] startPrev = EntryHasher.unhex(bundle.path("startPrevHash").asText(EntryHasher.hex(EntryHasher.GENESIS)));
        byte[] startFrontier = EntryHasher.unhex(bundle.path("startFrontier").asText(""));
        BundleDigest digest = new BundleDigest(from, treeSize, Instant.parse(bundle.path("generatedAt").asText()),
                startPrev, startFrontier);
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (JsonNode n : bundle.path("checkpoints")) {
            checkpoints.add(BundleJson.readCheckpoint(n));
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (JsonNode n : bundle.path("publicKeys")) {
            byte[] der = Base64.getDecoder().decode(n.path("publicKey").asText());
            String id = n.path("keyId").asText();
            if (id.equals(Signatures.keyId(der))) {
                keys.put(id, der);
            }
        }
        ChainVerifier verifier = new ChainVerifier(checkpoints, keys, Frontier.of(from, startFrontier), startPrev);
        byte[] last = startPrev;
        for (JsonNode n : bundle.path("entries")) {
            AuditEntry e = BundleJson.readEntry(n);
            verifier.accept(e);
            digest.entry(e.entryHash() == null ? new byte[EntryHasher.HASH_LENGTH] : e.entryHash());
            last = e.entryHash();
        }
        checkpoints.forEach(digest::checkpoint);
        for (JsonNode n : bundle.path("publicKeys")) {
            digest.publicKey(n.path("keyId").asText(), Base64.getDecoder().decode(n.path("publicKey").asText()));
        }
        byte[] d = digest.finish();
        JsonNode sig = bundle.path("signature");
        String signingKey = sig.path("keyId").asText();
        byte[] der = keys.get(signingKey);
        boolean signatureValid = der != null && (trustedKeyId == null || trustedKeyId.equals(signingKey))
                && Signatures.verify(der, d, Base64.getDecoder().decode(sig.path("value").asText()));
        return new Result(signatureValid, signingKey, verifier.finish(treeSize, last));
    }
}
