package io.pledge.kit.crypto;

import io.quarkus.logging.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * A service's signing key pair kept as two PEM files (PKCS#8 private key, mode 0600, and X.509
 * public key). On the embedded default it is generated on first start; in production it is mounted
 * from a secret and generation is off, so a missing key stops the service instead of silently
 * signing with a new one nobody trusts.
 */
public final class KeyPairFiles {

    /** The kinds of key a Pledge service signs with. */
    public enum Kind {
        /** RSA 2048, for RS256 (JWTs). */
        RSA_2048("RSA"),
        /** EC P-256, for ES256 / SHA256withECDSA. */
        EC_P256("EC");

        final String algorithm;

        Kind(String algorithm) {
            this.algorithm = algorithm;
        }
    }

    private KeyPairFiles() {
    }

    /**
     * Loads the pair from {@code dir}, generating it first when it is missing and {@code generate} is
     * true.
     *
     * @param what a name for messages, e.g. {@code "JWT signing key"}; never key material
     */
    public static KeyPair loadOrGenerate(Path dir, String privateFile, String publicFile, Kind kind, boolean generate,
                                         String what) {
        Path priv = dir.resolve(privateFile);
        Path pub = dir.resolve(publicFile);
        try {
            if (!Files.exists(priv)) {
                if (!generate) {
                    throw new IllegalStateException("no " + what + " at " + priv
                            + " and key generation is off: mount the key secret there");
                }
                generate(dir, priv, pub, kind, what);
            }
            KeyFactory factory = KeyFactory.getInstance(kind.algorithm);
            return new KeyPair(factory.generatePublic(new X509EncodedKeySpec(pem(pub))),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(pem(priv))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the " + what + " in " + dir, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the " + what + " in " + dir + " is not a valid " + kind.algorithm
                    + " key pair", e);
        }
    }

    /** DER bytes as PEM text of the given type ({@code PUBLIC KEY}, {@code PRIVATE KEY}). */
    public static String toPem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** The DER bytes of a PEM file. */
    public static byte[] pem(Path file) throws IOException {
        String body = Files.readString(file, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    private static void generate(Path dir, Path priv, Path pub, Kind kind, String what)
            throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        KeyPairGenerator gen = KeyPairGenerator.getInstance(kind.algorithm);
        if (kind == Kind.RSA_2048) {
            gen.initialize(2048);
        } else {
            gen.initialize(new ECGenParameterSpec("secp256r1"));
        }
        KeyPair pair = gen.generateKeyPair();
        // the public half first: a reader that sees the private file always finds its public twin
        Path pubTmp = Files.createTempFile(dir, "pub", ".tmp");
        Files.writeString(pubTmp, toPem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
        Files.move(pubTmp, pub, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Path tmp = Files.createTempFile(dir, "key", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, toPem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        Files.move(tmp, priv, StandardCopyOption.ATOMIC_MOVE);
        Log.infof("generated a new %s in %s", what, dir);
    }
}
