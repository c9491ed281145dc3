package io.pledge.kit.tx;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Runs something once the current transaction has committed, and never if it rolls back: the way an in-memory view
 * follows the database without ever showing what was not written (or, {@link #unlessCommitted}, only if it does not
 * commit).
 */
public final class AfterCommit {

    private AfterCommit() {
    }

    /**
     * Registers {@code action} to run if the current transaction ends without committing (there must be one): the
     * compensation of an outside effect made inside it, such as a credential issued for a registration that rolls back.
     */
    public static void unlessCommitted(TransactionSynchronizationRegistry transactions, Runnable action) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status != Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }

    /** Registers {@code action} to run after the current transaction commits (there must be one). */
    public static void run(TransactionSynchronizationRegistry transactions, Runnable action) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }
}
