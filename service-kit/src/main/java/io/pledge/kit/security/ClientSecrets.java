package io.pledge.kit.security;

import io.pledge.kit.crypto.SecretFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Service client secrets, one file per client under {@code <data-dir>/client-secrets/<client-id>}
 * (32 random bytes, hex, 0600). On the embedded default every service shares the data folder, so a
 * service creates its own secret on first use and account-service reads it when the service asks
 * for a token. On a cluster each service mounts its own Secret there and account-service mounts all
 * of them (deploy/README.md).
 */
public final class ClientSecrets {

    /** Client ids are service names: lower-case letters, digits and dashes. */
    public static final Pattern CLIENT_ID = Pattern.compile("[a-z][a-z0-9-]{1,62}");

    private static final SecureRandom RANDOM = new SecureRandom();

    private ClientSecrets() {
    }

    public static Path folder(Path dataDir) {
        return dataDir.resolve("client-secrets");
    }

    /** The client's secret, if it has one. */
    public static Optional<String> read(Path dataDir, String clientId) {
        if (!CLIENT_ID.matcher(clientId).matches()) {
            return Optional.empty();
        }
        Path file = folder(dataDir).resolve(clientId);
        try {
            return Files.isRegularFile(file)
                    ? Optional.of(Files.readString(file, StandardCharsets.US_ASCII).strip())
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the client secret of " + clientId, e);
        }
    }

    /** The client's secret, created (0600, written atomically, so concurrent starts agree) if missing. */
    public static String readOrCreate(Path dataDir, String clientId) {
        Optional<String> existing = read(dataDir, clientId);
        if (existing.isPresent()) {
            return existing.get();
        }
        if (!CLIENT_ID.matcher(clientId).matches()) {
            throw new IllegalArgumentException("not a client id: " + clientId);
        }
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        try {
            // never replaces: the first writer wins, every other reads what it wrote
            SecretFiles.publishOnce(folder(dataDir), clientId,
                    HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the client secret of " + clientId, e);
        }
        return read(dataDir, clientId).orElseThrow();
    }

    /** Constant-time comparison of a presented secret with the stored one. */
    public static boolean matches(String stored, String presented) {
        return presented != null && MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }
}
