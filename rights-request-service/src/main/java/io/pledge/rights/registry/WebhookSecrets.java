package io.pledge.rights.registry;

import io.pledge.kit.crypto.KeyEncryptionKey;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Webhook secrets at rest: sealed by this service's key-encryption key (the kit's {@link KeyEncryptionKey}: the local
 * key file on the embedded default, Vault transit in production) together with the holder's id, so a sealed secret
 * copied to another holder's row does not open; opened only at the moment a call is signed or a callback checked.
 * A service key, not a subject's data key: the secret is a holder's credential, not personal data of any subject,
 * and must outlive every subject's erasure. Stored form: {@code w1.<the KEK's ciphertext>}.
 */
@ApplicationScoped
public class WebhookSecrets {

    static final String FORMAT = "w1.";

    private final KeyEncryptionKey kek;

    public WebhookSecrets(KeyEncryptionKey kek) {
        this.kek = kek;
    }

    public String seal(String holderId, String secret) {
        return seal(kek, holderId, secret);
    }

    /** The secret of a holder, from its sealed form; a value that is not sealed, or another holder's, is refused. */
    public String open(String holderId, String sealed) {
        if (!isSealed(sealed)) {
            throw new IllegalStateException("the webhook secret of holder " + holderId + " is not sealed");
        }
        String ciphertext = sealed.substring(FORMAT.length());
        String[] parts = ciphertext.split(":", 3);
        String version = parts.length == 3 ? parts[0] + ":" + parts[1] : "unknown";
        String plain = new String(kek.unwrap(List.of(new KeyEncryptionKey.Wrapped(version, ciphertext))).get(0),
                StandardCharsets.UTF_8);
        String bound = holderId + "\n";
        if (!plain.startsWith(bound)) {
            throw new IllegalStateException("the sealed webhook secret of holder " + holderId + " was sealed for another");
        }
        return plain.substring(bound.length());
    }

    public static boolean isSealed(String stored) {
        return stored != null && stored.startsWith(FORMAT);
    }

    static String seal(KeyEncryptionKey kek, String holderId, String secret) {
        byte[] plain = (holderId + "\n" + secret).getBytes(StandardCharsets.UTF_8);
        return FORMAT + kek.wrap(List.of(plain)).get(0).ciphertext();
    }

    /**
     * Seals every webhook secret still stored in plain text (rows written before secrets were sealed), in the
     * connection's transaction; returns how many. Used by the migration {@code V3__Seal_webhook_secrets}.
     */
    public static int sealPlaintext(Connection c, KeyEncryptionKey kek) throws SQLException {
        Map<String, String> plain = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, webhook_secret_sealed from holder "
                + "where webhook_secret_sealed is not null and webhook_secret_sealed not like 'w1.%' order by id for update");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                plain.put(rs.getString(1), rs.getString(2));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("update holder set webhook_secret_sealed = ? where id = ?")) {
            for (Map.Entry<String, String> e : plain.entrySet()) {
                ps.setString(1, seal(kek, e.getKey(), e.getValue()));
                ps.setString(2, e.getKey());
                ps.addBatch();
            }
            if (!plain.isEmpty()) {
                ps.executeBatch();
            }
        }
        return plain.size();
    }
}
