package io.pledge.kit.crypto;

import io.quarkus.logging.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Key and secret files that several processes may create at once in one folder (two instances of a
 * service on the embedded default): each writes a temp file and publishes it under its final name
 * with a hard link, which never replaces an existing file, so exactly one writer wins and every
 * other reads what the winner wrote. In production the files are mounted and nothing is created.
 */
public final class SecretFiles {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFiles() {
    }

    /**
     * Publishes {@code content} as {@code dir/name} unless that file exists.
     *
     * @param secret true for mode 0600 (private keys, secrets), false for 0644 (public keys)
     * @return true when this call created the file, false when another writer had
     */
    public static boolean publishOnce(Path dir, String name, byte[] content, boolean secret) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(name);
        Path tmp = temp(dir, secret);
        try {
            Files.write(tmp, content);
            try {
                Files.createLink(target, tmp);
                return true;
            } catch (FileAlreadyExistsException lost) {
                return false;
            } catch (UnsupportedOperationException | IOException noHardLinks) {
                // a file system without hard links: a rename that refuses an existing target (the
                // check and the rename are not one step there, so prefer a folder that has links)
                if (Files.exists(target)) {
                    return false;
                }
                Files.move(tmp, target);
                return true;
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes {@code content} as {@code dir/name}, atomically replacing what was there (a key rotation). */
    public static void replace(Path dir, String name, byte[] content, boolean secret) throws IOException {
        Files.createDirectories(dir);
        Path tmp = temp(dir, secret);
        try {
            Files.write(tmp, content);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A 256-bit service secret kept as hex in {@code dir/name} (0600): read when present, created there
     * (race-free, see the class comment) when missing and {@code generate} is on, refused otherwise.
     *
     * @param what a name for messages, e.g. {@code "lookup key"}; never key material
     * @param mountHint where production mounts it, e.g. {@code "Secret account-service-secrets, key lookup-key"}
     */
    public static byte[] readOrCreateSecret(Path dir, String name, boolean generate, String what, String mountHint) {
        Path file = dir.resolve(name);
        byte[] key;
        try {
            if (!Files.exists(file)) {
                if (!generate) {
                    throw new IllegalStateException("no " + what + " at " + file + " and key generation is off: mount "
                            + mountHint + " there");
                }
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                if (publishOnce(dir, name, HexFormat.of().formatHex(fresh).getBytes(StandardCharsets.US_ASCII), true)) {
                    Log.infof("generated a new %s in %s", what, dir);
                }
            }
            key = HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the " + what + " in " + dir, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the " + what + " at " + file + " is not hex", e);
        }
        if (key.length < 32) {
            throw new IllegalStateException("the " + what + " at " + file + " is shorter than 256 bits");
        }
        return key;
    }

    private static Path temp(Path dir, boolean secret) throws IOException {
        Path tmp = Files.createTempFile(dir, ".publish", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system; the folder's own permissions apply
        }
        return tmp;
    }
}
