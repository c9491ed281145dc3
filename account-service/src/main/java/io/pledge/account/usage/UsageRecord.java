package io.pledge.account.usage;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One usage record (policy 2.1.2): device, log and coarse location facts under a pseudonym; no subject id, no address. */
@Entity
@Table(name = "usage_record")
public class UsageRecord extends PanacheEntityBase {

    @Id
    public UUID id;

    /** HMAC of the subject id under the usage secret, see {@link UsagePseudonyms}. */
    public String pseudonym;

    public String action;

    @Column(name = "device_model")
    public String deviceModel;

    public String os;

    @Column(name = "app_version")
    public String appVersion;

    public String language;

    /** A coarse location: the id of an area (region or city code), never coordinates. */
    @Column(name = "area_id")
    public String areaId;

    /** The client's network (address truncated), never its address. */
    public String network;

    @Column(name = "recorded_at")
    public Instant recordedAt;
}
