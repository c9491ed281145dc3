package io.pledge.kit.inbox;

import io.pledge.kit.events.PoisonRecordException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** How a consumer tells failures apart: transient (retry until it passes), poison (dead-letter), or other. */
public final class Failures {

    private Failures() {
    }

    /** Failures that pass by themselves: the database or the network was unreachable, a serialisation conflict. */
    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("40")
                    || sql.getSQLState().startsWith("53") || sql.getSQLState().startsWith("57"))) {
                return true;
            }
            String name = t.getClass().getName();
            if (name.endsWith("JDBCConnectionException") || name.endsWith("LockTimeoutException")
                    || name.endsWith("PessimisticLockException")) {
                return true;
            }
        }
        return false;
    }

    /** The poison-record exception somewhere in the cause chain, or null. */
    public static PoisonRecordException poisonIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PoisonRecordException p) {
                return p;
            }
        }
        return null;
    }

    /** The simple class name of the root cause, for logs (never the message: it may hold data). */
    public static String rootClass(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }
}
