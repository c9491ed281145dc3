package db.migration;

import io.pledge.kit.crypto.KeyEncryptionKey;
import io.pledge.rights.registry.WebhookSecrets;
import io.quarkus.arc.Arc;
import io.quarkus.logging.Log;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Webhook secrets were stored in plain text ({@code holder.webhook_secret}); from this version on they are sealed by
 * the service's key-encryption key ({@link WebhookSecrets}). A Java migration because the KEK is not reachable from
 * SQL: the column is renamed and widened, and every existing secret is sealed in the same transaction, so no plain
 * secret survives the upgrade.
 */
public class V3__Seal_webhook_secrets extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement s = context.getConnection().createStatement()) {
            s.execute("alter table holder rename column webhook_secret to webhook_secret_sealed");
            s.execute("alter table holder alter column webhook_secret_sealed type varchar(1000)");
            s.execute("comment on column holder.webhook_secret_sealed is "
                    + "'HMAC-SHA256 key shared with a webhook holder, sealed by the service KEK (w1.<ciphertext>)'");
        }
        KeyEncryptionKey kek = Arc.container().instance(KeyEncryptionKey.class).get();
        int n = WebhookSecrets.sealPlaintext(context.getConnection(), kek);
        Log.infof("sealed %d webhook secrets stored in plain text", n);
    }
}
