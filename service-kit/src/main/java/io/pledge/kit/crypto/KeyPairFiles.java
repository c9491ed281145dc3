package io.pledge.kit.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * PEM files of signing keys (PKCS#8 private keys, X.509 public keys) and the kinds of key Pledge signs
 * with; {@link SigningKeyRing} keeps a service's keys in a folder of them.
 */
public final class KeyPairFiles {

    /** The kinds of key a Pledge service signs with. */
    public enum Kind {
        /** RSA 2048, for RS256 (JWTs). */
        RSA_2048("RSA"),
        /** EC P-256, for ES256 / SHA256withECDSA. */
        EC_P256("EC"),
        /** Ed25519, for EdDSA (holder-signed replies, {@code HolderSigner}). */
        ED25519("Ed25519");

        final String algorithm;

        Kind(String algorithm) {
            this.algorithm = algorithm;
        }
    }

    private KeyPairFiles() {
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
}
