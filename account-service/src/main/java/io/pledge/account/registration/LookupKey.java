package io.pledge.account.registration;

import io.pledge.account.config.AccountConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The service secret behind lookup columns: HMAC-SHA256 of a normalised login id or client address,
 * so that a value can be found by equality without being stored in clear. Generated into
 * {@code pledge.account.secret-dir/lookup-key} (0600) on first start on the embedded default; a
 * mounted secret in production. Losing it makes every lookup column useless, so it is backed up with
 * the JWT key. (HMAC from BouncyCastle: only service-kit uses javax.crypto.)
 */
@Startup
@ApplicationScoped
public class LookupKey {

    static final String FILE = "lookup-key";

    private final byte[] key;

    public LookupKey(AccountConfig config) {
        this.key = secret(config, FILE);
    }

    /**
     * A 256-bit service secret from {@code secret-dir/<file>} (hex, 0600), generated there on first
     * start when {@code generate-secret-if-missing} is on; refused when missing otherwise or too short.
     */
    public static byte[] secret(AccountConfig config, String fileName) {
        Path dir = config.secretDir();
        Path file = dir.resolve(fileName);
        byte[] key;
        try {
            if (!Files.exists(file)) {
                if (!config.generateSecretIfMissing()) {
                    throw new IllegalStateException("no secret " + fileName + " in " + dir
                            + " and pledge.account.generate-secret-if-missing=false: mount the secret there");
                }
                Files.createDirectories(dir);
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Path tmp = Files.createTempFile(dir, "secret", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tmp, HexFormat.of().formatHex(fresh), StandardCharsets.US_ASCII);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                    Log.infof("generated a new secret %s in %s", fileName, dir);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    Files.deleteIfExists(tmp);
                }
            }
            key = HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the secret " + fileName + " in " + dir, e);
        }
        if (key.length < 32) {
            throw new IllegalStateException("the secret " + fileName + " in " + dir + " is shorter than 256 bits");
        }
        return key;
    }

    /** Hex HMAC-SHA256 of {@code input} under {@code key}. */
    public static String hmac(byte[] key, String input) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        byte[] in = input.getBytes(StandardCharsets.UTF_8);
        mac.update(in, 0, in.length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return HexFormat.of().formatHex(out);
    }

    /** Hex HMAC-SHA256 of {@code kind:value}; the kind keeps an email and a mobile with equal text apart. */
    public String hash(String kind, String normalisedValue) {
        return hmac(key, kind + ":" + normalisedValue);
    }
}
