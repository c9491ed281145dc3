package io.pledge.kit.crypto;

import io.agroal.api.AgroalDataSource;
import io.pledge.kit.config.CryptoConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.SecretKey;

/**
 * One AES-256 data key per subject, stored wrapped by the service's {@link KeyEncryptionKey} in the
 * key-store schema {@code pledge_keys}. Unwrapped keys are cached in memory for a short time.
 * Shredding deletes a subject's key and records only the fact and the time: every copy of the
 * subject's personal data, current or in a backup of the data, becomes unreadable. Key-store
 * statements join the caller's transaction when there is one, so a shred commits with the erasure
 * of the rows.
 */
@ApplicationScoped
public class SubjectKeyRing {

    private final AgroalDataSource dataSource;
    private final KeyEncryptionKey kek;
    private final CryptoConfig config;
    private final Map<UUID, Cached> cache;

    private record Cached(SecretKey key, long expiresAtNanos) {
    }

    public SubjectKeyRing(AgroalDataSource dataSource, KeyEncryptionKey kek, CryptoConfig config) {
        this.dataSource = dataSource;
        this.kek = kek;
        this.config = config;
        int size = config.cacheSize();
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Cached> eldest) {
                return size() > size;
            }
        };
    }

    /**
     * The subject's data key, created on first use.
     *
     * @throws SubjectShreddedException when the subject's keys were destroyed
     */
    public SecretKey keyFor(UUID subject) {
        return existingKey(subject).orElseGet(() -> create(subject));
    }

    /**
     * The subject's data key if it has one.
     *
     * @throws SubjectShreddedException when the subject's keys were destroyed
     */
    public Optional<SecretKey> existingKey(UUID subject) {
        SecretKey cached = cached(subject);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (Connection c = dataSource.getConnection()) {
            Optional<KeyEncryptionKey.Wrapped> wrapped = load(c, subject);
            if (wrapped.isEmpty()) {
                shreddedAt(c, subject).ifPresent(at -> {
                    throw new SubjectShreddedException(subject, at);
                });
                return Optional.empty();
            }
            SecretKey key = Aead.key(kek.unwrap(List.of(wrapped.get())).get(0));
            remember(subject, key);
            return Optional.of(key);
        } catch (SQLException e) {
            throw new KeyUnavailableException("the key store could not be read for subject " + subject, e);
        }
    }

    /** When the subject was shredded, if it was. */
    public Optional<Instant> shreddedAt(UUID subject) {
        try (Connection c = dataSource.getConnection()) {
            return shreddedAt(c, subject);
        } catch (SQLException e) {
            throw new KeyUnavailableException("the key store could not be read for subject " + subject, e);
        }
    }

    /**
     * Destroys the subject's data key irreversibly and records when. Idempotent: shredding again
     * returns the first time.
     */
    public Instant shred(UUID subject) {
        synchronized (cache) {
            cache.remove(subject);
        }
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement del = c.prepareStatement("delete from pledge_keys.subject_key where subject_id = ?")) {
                del.setObject(1, subject);
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement(
                    "insert into pledge_keys.shredded_subject (subject_id) values (?) on conflict do nothing")) {
                ins.setObject(1, subject);
                ins.executeUpdate();
            }
            return shreddedAt(c, subject).orElseThrow();
        } catch (SQLException e) {
            throw new KeyUnavailableException("the key of subject " + subject + " could not be shredded", e);
        }
    }

    /**
     * Re-wraps every data key not wrapped by the current KEK version, in batches; old ciphertext
     * stays readable throughout (both versions unwrap). Keys of another kind of KEK (a store moved
     * from the local file to Vault) are left for a migration; this KEK cannot unwrap them. Returns
     * how many were re-wrapped.
     */
    public int rewrapAll() {
        String current = kek.currentVersion();
        int total = 0;
        while (true) {
            try (Connection c = dataSource.getConnection()) {
                List<UUID> subjects = new ArrayList<>();
                List<KeyEncryptionKey.Wrapped> old = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("select subject_id, wrapped, kek_version "
                        + "from pledge_keys.subject_key where kek_version <> ? "
                        + "and split_part(kek_version, ':', 1) = split_part(?, ':', 1) limit ?")) {
                    ps.setString(1, current);
                    ps.setString(2, current);
                    ps.setInt(3, config.rewrapBatch());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            subjects.add(rs.getObject(1, UUID.class));
                            old.add(new KeyEncryptionKey.Wrapped(rs.getString(3), rs.getString(2)));
                        }
                    }
                }
                if (subjects.isEmpty()) {
                    return total;
                }
                List<KeyEncryptionKey.Wrapped> fresh = kek.rewrap(old);
                try (PreparedStatement ps = c.prepareStatement("update pledge_keys.subject_key set wrapped = ?, "
                        + "kek_version = ?, rewrapped_at = now() where subject_id = ? and wrapped = ?")) {
                    for (int i = 0; i < subjects.size(); i++) {
                        ps.setString(1, fresh.get(i).ciphertext());
                        ps.setString(2, fresh.get(i).kekVersion());
                        ps.setObject(3, subjects.get(i));
                        ps.setString(4, old.get(i).ciphertext());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                total += subjects.size();
                Log.debugf("re-wrapped %d data keys to KEK %s", subjects.size(), current);
            } catch (SQLException e) {
                throw new KeyUnavailableException("re-wrapping data keys failed", e);
            }
        }
    }

    /** Empties the in-memory cache (used when measuring uncached look-ups, and after a KEK change). */
    public void clearCache() {
        synchronized (cache) {
            cache.clear();
        }
    }

    private SecretKey create(UUID subject) {
        byte[] raw = Aead.newKey();
        KeyEncryptionKey.Wrapped wrapped = kek.wrap(List.of(raw)).get(0);
        try (Connection c = dataSource.getConnection()) {
            shreddedAt(c, subject).ifPresent(at -> {
                throw new SubjectShreddedException(subject, at);
            });
            try (PreparedStatement ps = c.prepareStatement("insert into pledge_keys.subject_key "
                    + "(subject_id, wrapped, kek_version) values (?, ?, ?) on conflict (subject_id) do nothing")) {
                ps.setObject(1, subject);
                ps.setString(2, wrapped.ciphertext());
                ps.setString(3, wrapped.kekVersion());
                if (ps.executeUpdate() == 1) {
                    SecretKey key = Aead.key(raw);
                    remember(subject, key);
                    return key;
                }
            }
        } catch (SQLException e) {
            throw new KeyUnavailableException("the key store could not store a key for subject " + subject, e);
        }
        // another writer created it first: use theirs
        return existingKey(subject).orElseThrow(() -> new KeyUnavailableException("key of subject " + subject + " vanished"));
    }

    private static Optional<KeyEncryptionKey.Wrapped> load(Connection c, UUID subject) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select wrapped, kek_version from pledge_keys.subject_key where subject_id = ?")) {
            ps.setObject(1, subject);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new KeyEncryptionKey.Wrapped(rs.getString(2), rs.getString(1))) : Optional.empty();
            }
        }
    }

    private static Optional<Instant> shreddedAt(Connection c, UUID subject) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select shredded_at from pledge_keys.shredded_subject where subject_id = ?")) {
            ps.setObject(1, subject);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp t = rs.getTimestamp(1);
                return Optional.of(t.toInstant());
            }
        }
    }

    private SecretKey cached(UUID subject) {
        if (config.cacheSize() == 0) {
            return null;
        }
        synchronized (cache) {
            Cached c = cache.get(subject);
            if (c == null) {
                return null;
            }
            if (System.nanoTime() - c.expiresAtNanos() > 0) {
                cache.remove(subject);
                return null;
            }
            return c.key();
        }
    }

    private void remember(UUID subject, SecretKey key) {
        if (config.cacheSize() == 0) {
            return;
        }
        synchronized (cache) {
            cache.put(subject, new Cached(key, System.nanoTime() + config.cacheTtl().toNanos()));
        }
    }
}
