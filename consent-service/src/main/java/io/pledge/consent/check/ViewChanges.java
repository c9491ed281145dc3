package io.pledge.consent.check;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Keeps this instance's {@link ConsentView} in step with what the other instances of consent-service
 * commit. Every change to a subject's consent state, cancellation or erasure notifies the database
 * channel {@code consent_view} (a trigger, migration V3), which PostgreSQL delivers to every listening
 * instance once the transaction commits; this instance then reads that subject again. A withdrawal
 * recorded by one replica is refused by every replica's check as soon as the notification arrives
 * (milliseconds), not at its next restart. Listening starts before the view is first built, so no
 * commit falls between the two; after a lost connection the view is built again whole.
 */
@ApplicationScoped
public class ViewChanges {

    static final String CHANNEL = "consent_view";

    private final AgroalDataSource dataSource;
    private final ConsentView view;
    private volatile boolean running = true;
    private volatile Connection listening;
    private Thread thread;

    public ViewChanges(AgroalDataSource dataSource, ConsentView view) {
        this.dataSource = dataSource;
        this.view = view;
    }

    /** Before the view's first build (priority 10): listening first, so that nothing committed meanwhile is missed. */
    void start(@Observes @Priority(5) StartupEvent start) throws SQLException {
        listening = listen();
        thread = new Thread(this::run, "consent-view-changes");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent stop) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
        close(listening);
    }

    private Connection listen() throws SQLException {
        Connection c = dataSource.getConnection();
        try (Statement st = c.createStatement()) {
            st.execute("listen " + CHANNEL);
        }
        return c;
    }

    private void run() {
        while (running) {
            try {
                PGNotification[] arrived = listening.unwrap(PGConnection.class).getNotifications(1000);
                if (arrived == null) {
                    continue;
                }
                for (PGNotification n : arrived) {
                    view.reload(UUID.fromString(n.getParameter()));
                }
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                Log.warnf("consent view: lost the change notifications (%s); listening again and rebuilding",
                        e.getClass().getSimpleName());
                close(listening);
                reconnect();
            }
        }
    }

    private void reconnect() {
        while (running) {
            try {
                listening = listen();
                view.rebuild();
                return;
            } catch (Exception e) {
                close(listening);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // gone already
            }
        }
    }
}
