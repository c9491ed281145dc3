package io.pledge.rights.registry;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One holder of personal data in the registry (policies 4.1, 4.2, 5.4). */
@Entity
@Table(name = "holder")
public class Holder extends PanacheEntityBase {

    public static final String ACTIVE = "ACTIVE";
    public static final String OFFBOARDING = "OFFBOARDING";
    public static final String OFFBOARDED = "OFFBOARDED";
    public static final String KAFKA = "KAFKA";
    public static final String WEBHOOK = "WEBHOOK";
    public static final String LOCAL = "LOCAL";

    @Id
    public String id;

    public String kind;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] categories;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] purposes;

    public String region;

    public String channel;

    @Column(name = "webhook_url")
    public String webhookUrl;

    /** The HMAC key shared with a webhook holder, sealed ({@link WebhookSecrets}); never in plain text at rest. */
    @Column(name = "webhook_secret_sealed")
    public String sealedWebhookSecret;

    /** Where this holder's export parts may be fetched from (OutboundUrls); null: none. */
    @Column(name = "export_base_url")
    public String exportBaseUrl;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> agreement;

    @Column(name = "ack_sla_seconds")
    public long ackSlaSeconds;

    public String status;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "offboarded_at")
    public Instant offboardedAt;

    @Column(name = "offboarding_request_id")
    public UUID offboardingRequestId;

    /** Its OAuth client at account-service ({@code holder-<id>}), or null: it has none. */
    @Column(name = "oauth_client_id")
    public String oauthClientId;

    /** The scopes its OAuth client was granted (from {@code Scopes.HOLDER_GRANTABLE}). */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "oauth_scopes")
    public String[] oauthScopes;

    public List<String> categoryList() {
        return Arrays.asList(categories);
    }

    public boolean holdsAny(Collection<String> cats) {
        return Arrays.stream(categories).anyMatch(cats::contains);
    }

    public boolean processes(String purpose) {
        return Arrays.asList(purposes).contains(purpose);
    }

    /** Every active holder, in id order. */
    public static List<Holder> active() {
        return list("status = ?1 order by id", ACTIVE);
    }
}
