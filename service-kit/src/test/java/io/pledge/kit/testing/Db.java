package io.pledge.kit.testing;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Plain JDBC on a service's own test database, for tests that check what was (not) stored. */
public final class Db {

    private Db() {
    }

    public static long count(AgroalDataSource db, String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String string(AgroalDataSource db, String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void exec(AgroalDataSource db, String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every text-like column of every table in every schema of the database (the key store included),
     * as "schema.table.column", and whether any row holds {@code needle}.
     */
    public static List<String> columnsContaining(AgroalDataSource db, String needle) {
        return columns(db, "position(? in %s) > 0", needle);
    }

    /** Every text-like column where some row matches the POSIX regular expression. */
    public static List<String> columnsMatching(AgroalDataSource db, String regex) {
        return columns(db, "%s ~ ?", regex);
    }

    private static List<String> columns(AgroalDataSource db, String condition, String needle) {
        List<String> hits = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            List<String[]> cols = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select table_schema, table_name, column_name from information_schema.columns "
                            + "where table_schema not in ('pg_catalog', 'information_schema') "
                            + "and data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea')");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            for (String[] col : cols) {
                String sql = "select count(*) from \"" + col[0] + "\".\"" + col[1] + "\" where "
                        + String.format(condition, "\"" + col[2] + "\"::text");
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, needle);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) > 0) {
                            hits.add(col[0] + "." + col[1] + "." + col[2]);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return hits;
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }
}
