package io.pledge.kit.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.Signature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signing key pairs on disk: generated once (private key 0600), reused after, never silently replaced. */
class KeyPairFilesTest {

    @TempDir
    Path dir;

    @Test
    void aGeneratedPairSignsVerifiesAndIsReusedOnTheNextStart() throws Exception {
        KeyPair first = KeyPairFiles.loadOrGenerate(dir, "k.pem", "p.pem", KeyPairFiles.Kind.EC_P256, true, "test key");
        assertThat(Files.getPosixFilePermissions(dir.resolve("k.pem")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        KeyPair again = KeyPairFiles.loadOrGenerate(dir, "k.pem", "p.pem", KeyPairFiles.Kind.EC_P256, false, "test key");
        assertThat(again.getPublic().getEncoded()).isEqualTo(first.getPublic().getEncoded());

        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(again.getPrivate());
        s.update("data".getBytes());
        byte[] sig = s.sign();
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(first.getPublic());
        v.update("data".getBytes());
        assertThat(v.verify(sig)).isTrue();
    }

    @Test
    void aMissingKeyWithGenerationOffStopsTheServiceWithoutCreatingOne() {
        assertThatThrownBy(() -> KeyPairFiles.loadOrGenerate(dir, "k.pem", "p.pem", KeyPairFiles.Kind.RSA_2048, false,
                "JWT signing key")).isInstanceOf(IllegalStateException.class).hasMessageContaining("mount");
        assertThat(dir.resolve("k.pem")).doesNotExist();
    }

    @Test
    void rsaPairsAreRsa2048() {
        KeyPair pair = KeyPairFiles.loadOrGenerate(dir, "k.pem", "p.pem", KeyPairFiles.Kind.RSA_2048, true, "key");
        assertThat(((java.security.interfaces.RSAPublicKey) pair.getPublic()).getModulus().bitLength()).isEqualTo(2048);
    }
}
