package io.pledge.kit.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing keys, secrets and the local KEK on disk, as several instances sharing one data folder see
 * them: generated once and never replaced, the same for every thread and process that starts at once on
 * an empty folder; rotation keeps retired public keys verifying; with generation off a missing key stops
 * the start, naming the Secret and never quoting key material. Real files, real JVM processes; nothing
 * faked.
 */
class SigningKeyRingTest {

    private static final SigningKeyRing.Spec EC = new SigningKeyRing.Spec("test signing key", "test-secret",
            KeyPairFiles.Kind.EC_P256);

    /** An RSA key whose first version is the older two-file layout (account-service's JWT key). */
    static final SigningKeyRing.Spec RSA_LEGACY = new SigningKeyRing.Spec("test JWT key", "test-jwt-secret",
            KeyPairFiles.Kind.RSA_2048, "signing-key.pem", "public.pem", SigningKeyRing::keyId, true);

    @TempDir
    Path dir;

    @Test
    void aGeneratedKeyIsReusedOnTheNextStartWithItsPrivateHalfOwnerOnly() throws Exception {
        SigningKeyRing first = SigningKeyRing.open(dir, EC, true);
        String kid = first.currentKeyId();
        assertThat(Files.readString(dir.resolve("current")).strip()).isEqualTo(kid);
        assertThat(Files.getPosixFilePermissions(dir.resolve(kid + ".key.pem")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        SigningKeyRing again = SigningKeyRing.open(dir, EC, false);
        assertThat(again.currentKeyId()).isEqualTo(kid);
        assertThat(verify(again.publicKey(kid).orElseThrow(), sign(first.privateKey(), "data"), "data")).isTrue();
        assertThat(kid).isEqualTo(SigningKeyRing.keyId(first.publicKey(kid).orElseThrow()));
    }

    @Test
    void afterARotationTheRetiredKeyStillVerifiesAndBothArePublished() throws Exception {
        SigningKeyRing ring = SigningKeyRing.open(dir, EC, true);
        String old = ring.currentKeyId();
        byte[] oldSignature = sign(ring.privateKey(), "issued before");

        String fresh = SigningKeyRing.rotate(dir, KeyPairFiles.Kind.EC_P256);
        ring.refresh();

        assertThat(fresh).isNotEqualTo(old);
        assertThat(ring.currentKeyId()).isEqualTo(fresh);
        assertThat(ring.publicKeys().keySet()).containsExactly(fresh, old);
        assertThat(verify(ring.publicKey(old).orElseThrow(), oldSignature, "issued before")).isTrue();
        assertThat(verify(ring.publicKey(fresh).orElseThrow(), sign(ring.privateKey(), "after"), "after")).isTrue();
        // a second instance that starts after the rotation signs with the new key and verifies both
        SigningKeyRing restarted = SigningKeyRing.open(dir, EC, false);
        assertThat(restarted.currentKeyId()).isEqualTo(fresh);
        assertThat(verify(restarted.publicKey(old).orElseThrow(), oldSignature, "issued before")).isTrue();
    }

    @Test
    void aKeyIdTheRingDoesNotKnowIsLookedUpInTheFolderOnce() throws Exception {
        SigningKeyRing ring = SigningKeyRing.open(dir, EC, true);
        SigningKeyRing other = SigningKeyRing.open(dir, EC, false);
        String fresh = SigningKeyRing.rotate(dir, KeyPairFiles.Kind.EC_P256);
        Thread.sleep(1100);
        // a replica that has not re-read yet meets a signature by the new key
        assertThat(ring.publicKey(fresh)).isPresent();
        assertThat(other.publicKey("../../etc/passwd")).isEmpty();
        assertThat(other.publicKey("no-such-key")).isEmpty();
    }

    @Test
    void theOlderTwoFileLayoutIsReadAsOneKeyUnderItsOldKeyIdAndSurvivesARotation() throws Exception {
        java.security.KeyPairGenerator gen = java.security.KeyPairGenerator.getInstance("EC");
        gen.initialize(256);
        java.security.KeyPair pair = gen.generateKeyPair();
        Files.writeString(dir.resolve("old-key.pem"), KeyPairFiles.toPem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(dir.resolve("old-public.pem"), KeyPairFiles.toPem("PUBLIC KEY", pair.getPublic().getEncoded()));
        SigningKeyRing.Spec legacy = new SigningKeyRing.Spec("test signing key", "test-secret", KeyPairFiles.Kind.EC_P256,
                "old-key.pem", "old-public.pem", k -> "legacy-kid");

        SigningKeyRing ring = SigningKeyRing.open(dir, legacy, false);
        assertThat(ring.currentKeyId()).isEqualTo("legacy-kid");
        String fresh = SigningKeyRing.rotate(dir, KeyPairFiles.Kind.EC_P256);
        ring.refresh();
        assertThat(ring.currentKeyId()).isEqualTo(fresh);
        assertThat(ring.publicKeys().keySet()).containsExactly(fresh, "legacy-kid");
    }

    @Test
    void withGenerationOffAMissingKeyStopsTheStartNamingTheSecretAndCreatesNothing() throws Exception {
        assertThatThrownBy(() -> SigningKeyRing.open(dir, EC, false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test-secret").hasMessageContaining("generation is off");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
        assertThatThrownBy(() -> SecretFiles.readOrCreateSecret(dir, "lookup-key", false, "lookup key",
                "the Secret s, key lookup-key")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Secret s").hasMessageContaining("lookup-key");
        assertThatThrownBy(() -> new LocalFileKek(dir.resolve("kek"), false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("vault");
        assertThat(dir.resolve("kek")).doesNotExist();
    }

    @Test
    void aCurrentKeyWithoutItsPrivateFileIsRefusedWithoutQuotingKeyMaterial() throws Exception {
        SigningKeyRing.open(dir, EC, true);
        String kid = Files.readString(dir.resolve("current")).strip();
        String pem = Files.readString(dir.resolve(kid + ".key.pem"));
        Files.writeString(dir.resolve(kid + ".key.pem"), pem.substring(0, 60) + "broken" + pem.substring(60));
        assertThatThrownBy(() -> SigningKeyRing.open(dir, EC, false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(kid + ".key.pem").hasNoCause()
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(pem.substring(28, 60)));
        Files.delete(dir.resolve(kid + ".key.pem"));
        assertThatThrownBy(() -> SigningKeyRing.open(dir, EC, false)).hasMessageContaining("test-secret");
        // a private file from another pair
        Path other = dir.resolve("other");
        SigningKeyRing.open(other, EC, true);
        String otherKid = Files.readString(other.resolve("current")).strip();
        Files.copy(other.resolve(otherKid + ".key.pem"), dir.resolve(kid + ".key.pem"));
        assertThatThrownBy(() -> SigningKeyRing.open(dir, EC, false)).hasMessageContaining("not one key pair");
    }

    /** The folder an operator builds with openssl, as deploy/README.md shows, is read as is (kid checked against the key). */
    @Test
    void aKeyFolderMadeWithOpensslAsTheReadmeShowsIsRead() throws Exception {
        for (String[] kind : List.of(new String[] {"-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"},
                new String[] {"-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"})) {
            Path folder = Files.createDirectories(dir.resolve(kind[1]));
            String script = "set -e; cd '" + folder + "'; openssl genpkey " + String.join(" ", kind) + " -out new.key.pem 2>/dev/null;"
                    + " kid=$(openssl pkey -in new.key.pem -pubout -outform DER | openssl dgst -sha256 -binary | openssl base64 -A"
                    + " | tr '+/' '-_' | tr -d '='); mv -- new.key.pem \"$kid.key.pem\";"
                    + " openssl pkey -in \"./$kid.key.pem\" -pubout -out \"./$kid.pub.pem\"; echo \"$kid\" > current";
            Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            KeyPairFiles.Kind k = kind[1].equals("EC") ? KeyPairFiles.Kind.EC_P256 : KeyPairFiles.Kind.RSA_2048;
            SigningKeyRing ring = SigningKeyRing.open(folder,
                    new SigningKeyRing.Spec("test signing key", "test-secret", k), false);
            assertThat(ring.currentKeyId()).isEqualTo(Files.readString(folder.resolve("current")).strip());
        }
        // a file named after another id is refused
        Path ec = dir.resolve("EC");
        String kid = Files.readString(ec.resolve("current")).strip();
        Files.move(ec.resolve(kid + ".pub.pem"), ec.resolve("wrong.pub.pem"));
        assertThatThrownBy(() -> SigningKeyRing.open(ec, EC, false)).hasMessageContaining("must be named after its key id");
    }

    @Test
    void threadsStartingAtOnceOnAnEmptyFolderAllHoldTheSameKeysAndSecrets() throws Exception {
        int threads = 8;
        for (int round = 0; round < 6; round++) {
            Path folder = dir.resolve("round-" + round);
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit((Callable<String>) () -> {
                    start.await(10, TimeUnit.SECONDS);
                    return Holder.everything(folder);
                }));
            }
            Set<String> seen = new HashSet<>();
            for (Future<String> f : results) {
                seen.add(f.get(60, TimeUnit.SECONDS));
            }
            pool.shutdown();
            assertThat(seen).as("round %d", round).hasSize(1);
            assertThat(seen.iterator().next()).isEqualTo(Holder.everything(folder));
            try (var files = Files.list(folder.resolve("keys"))) {
                assertThat(files.filter(f -> f.getFileName().toString().endsWith(".pub.pem"))).hasSize(1);
            }
        }
    }

    @Test
    void processesStartingAtOnceOnAnEmptyFolderAllHoldTheSameKeysAndSecrets() throws Exception {
        Path folder = dir.resolve("shared");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long at = System.currentTimeMillis() + 3000;
        List<Process> processes = new ArrayList<>();
        List<File> outputs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            File out = File.createTempFile("ring-process-", ".out");
            outputs.add(out);
            processes.add(new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    Holder.class.getName(), folder.toString(), Long.toString(at)))
                    .redirectErrorStream(true).redirectOutput(out).start());
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < processes.size(); i++) {
            assertThat(processes.get(i).waitFor(2, TimeUnit.MINUTES)).isTrue();
            String out = Files.readString(outputs.get(i).toPath(), StandardCharsets.UTF_8);
            assertThat(processes.get(i).exitValue()).as(out).isZero();
            seen.add(out.lines().filter(l -> l.startsWith("held ")).findFirst().orElseThrow(() -> new AssertionError(out)));
        }
        assertThat(seen).hasSize(1);
        assertThat(seen.iterator().next()).isEqualTo("held " + Holder.everything(folder));
    }

    private static byte[] sign(PrivateKey key, String data) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(data.getBytes(StandardCharsets.UTF_8));
        return s.sign();
    }

    private static boolean verify(PublicKey key, byte[] signature, String data) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initVerify(key);
        s.update(data.getBytes(StandardCharsets.UTF_8));
        return s.verify(signature);
    }

    /** One instance's start: opens the signing keys, a lookup secret, a client secret and the local KEK. */
    static final class Holder {

        public static void main(String[] args) throws Exception {
            long at = Long.parseLong(args[1]);
            Thread.sleep(Math.max(0, at - System.currentTimeMillis()));
            System.out.println("held " + everything(Path.of(args[0])));
        }

        /** What this instance holds, as one comparable line (fingerprints only). */
        static String everything(Path folder) throws Exception {
            SigningKeyRing ring = SigningKeyRing.open(folder.resolve("keys"), EC, true);
            SigningKeyRing rsa = SigningKeyRing.open(folder.resolve("jwt"), RSA_LEGACY, true);
            byte[] secret = SecretFiles.readOrCreateSecret(folder, "lookup-key", true, "lookup key", "a Secret");
            String client = io.pledge.kit.security.ClientSecrets.readOrCreate(folder, "consent-service");
            LocalFileKek kek = new LocalFileKek(folder.resolve("kek"), true);
            byte[] wrapped = Base64.getDecoder().decode(kek.wrap(List.of(new byte[32])).get(0).ciphertext().split(":", 3)[2]);
            // a data key wrapped by one instance must unwrap under every other's KEK: unwrap with a fresh reader
            new LocalFileKek(folder.resolve("kek"), false).unwrap(kek.wrap(List.of(new byte[32])));
            return ring.currentKeyId() + " " + SigningKeyRing.keyId(ring.publicKey(ring.currentKeyId()).orElseThrow())
                    + " " + rsa.currentKeyId() + " " + SigningKeyRing.keyId(rsa.publicKey(rsa.currentKeyId()).orElseThrow())
                    + " " + fingerprint(rsa.privateKey().getEncoded())
                    + " " + fingerprint(secret) + " " + fingerprint(client.getBytes(StandardCharsets.US_ASCII))
                    + " " + fingerprint(Files.readAllBytes(folder.resolve("kek"))) + " " + (wrapped.length > 0);
        }

        private static String fingerprint(byte[] b) throws Exception {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(b)).substring(0, 12);
        }
    }
}
