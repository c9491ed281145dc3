package io.pledge.account.registration;

import io.pledge.account.config.AccountConfig;
import io.pledge.kit.crypto.SecretFiles;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The service secret behind lookup columns: HMAC-SHA256 of a normalised login id or client address,
 * so that a value can be found by equality without being stored in clear. Generated into
 * {@code pledge.account.secret-dir/lookup-key} (0600) on first start on the embedded default; the mounted
 * Secret {@value #SECRET} in the cluster profile, the same in every replica. Losing it makes every lookup
 * column useless, so it is backed up with the JWT key. It is not rotated: a lookup hash is an equality
 * index over values Pledge does not keep in clear, so a new secret would need every row re-hashed from
 * the encrypted originals (deploy/README.md). (HMAC from BouncyCastle: only service-kit uses javax.crypto.)
 */
@Startup
@ApplicationScoped
public class LookupKey {

    static final String FILE = "lookup-key";
    /** The Kubernetes Secret that holds the lookup and usage secrets in the cluster profile. */
    static final String SECRET = "account-service-secrets";

    private final byte[] key;

    public LookupKey(AccountConfig config) {
        this.key = secret(config, FILE);
    }

    /**
     * A 256-bit service secret from {@code secret-dir/<file>} (hex, 0600), generated there on first start (race-free
     * between instances sharing the folder) when {@code generate-secret-if-missing} is on; refused when missing
     * otherwise (naming the Secret {@value #SECRET}) or too short.
     */
    public static byte[] secret(AccountConfig config, String fileName) {
        return SecretFiles.readOrCreateSecret(config.secretDir(), fileName, config.generateSecretIfMissing(),
                "secret " + fileName, "the Secret " + SECRET + " (key " + fileName + ")");
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
