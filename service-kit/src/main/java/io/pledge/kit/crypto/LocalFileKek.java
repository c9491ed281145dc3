package io.pledge.kit.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;

/**
 * The embedded default KEK: versioned AES-256 keys in a local file ({@code v1 <base64>} per line),
 * created with mode 0600 on first use (race-free between instances sharing the folder, see
 * {@link SecretFiles}). Rotation appends a version; old ones keep unwrapping. In
 * production use {@link VaultTransitKek}, where the KEK never leaves Vault.
 */
public final class LocalFileKek implements KeyEncryptionKey {

    private static final String PREFIX = "local:";
    private static final byte[] AAD = "pledge-data-key".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private volatile Map<String, SecretKey> versions;
    private volatile String current;

    public LocalFileKek(Path file) {
        this(file, true);
    }

    /**
     * @param generate whether a missing file is created (the embedded default); off in the cluster
     *                 profile, where a missing KEK file stops the service instead of encrypting under a
     *                 key only this pod has
     */
    public LocalFileKek(Path file, boolean generate) {
        this.file = file;
        try {
            if (!Files.exists(file)) {
                if (!generate) {
                    throw new IllegalStateException("no local KEK file at " + file + " and key generation is off: use "
                            + "the Vault transit KEK (profile vault) or mount the KEK file there");
                }
                Path dir = file.toAbsolutePath().getParent();
                // two instances starting at once on one data folder: the first file published wins, never
                // replaced, and both read it
                SecretFiles.publishOnce(dir, file.getFileName().toString(),
                        ("v1 " + Base64.getEncoder().encodeToString(Aead.newKey()) + "\n").getBytes(StandardCharsets.US_ASCII),
                        true);
            }
            load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create or read the local KEK file " + file, e);
        }
    }

    @Override
    public List<Wrapped> wrap(List<byte[]> dataKeys) {
        String v = current;
        SecretKey kek = versions.get(v);
        List<Wrapped> out = new ArrayList<>(dataKeys.size());
        for (byte[] dk : dataKeys) {
            out.add(new Wrapped(PREFIX + v, PREFIX + v + ":" + Base64.getEncoder().encodeToString(Aead.seal(kek, dk, AAD))));
        }
        return out;
    }

    @Override
    public List<byte[]> unwrap(List<Wrapped> wrapped) {
        List<byte[]> out = new ArrayList<>(wrapped.size());
        for (Wrapped w : wrapped) {
            String[] parts = w.ciphertext().split(":", 3);
            if (parts.length != 3 || !PREFIX.equals(parts[0] + ":")) {
                throw new KeyUnavailableException("not a local-file wrapped key (wrapped by another KEK?)");
            }
            SecretKey kek = versions.get(parts[1]);
            if (kek == null) {
                throw new KeyUnavailableException("KEK version " + parts[1] + " is not in " + file);
            }
            try {
                out.add(Aead.open(kek, Base64.getDecoder().decode(parts[2]), AAD));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new KeyUnavailableException("a wrapped data key fails authentication under KEK " + parts[1], e);
            }
        }
        return out;
    }

    @Override
    public List<Wrapped> rewrap(List<Wrapped> wrapped) {
        return wrap(unwrap(wrapped));
    }

    @Override
    public String currentVersion() {
        return PREFIX + current;
    }

    @Override
    public synchronized void rotate() {
        try {
            load();
            List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.US_ASCII));
            int next = versions.size() + 1;
            lines.add("v" + next + " " + Base64.getEncoder().encodeToString(Aead.newKey()));
            write(lines);
            load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rotate the local KEK in " + file, e);
        }
    }

    private void load() throws IOException {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String last = null;
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            keys.put(f[0], Aead.key(Base64.getDecoder().decode(f[1])));
            last = f[0];
        }
        if (last == null) {
            throw new IllegalStateException("the local KEK file " + file + " holds no key");
        }
        versions = Map.copyOf(keys);
        current = last;
    }

    private void write(List<String> lines) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".kek", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, lines, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
