package io.pledge.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** {@code pledge.audit.*}: audit-service's own settings (README lists them with their defaults). */
@ConfigMapping(prefix = "pledge.audit")
public interface AuditConfig {

    /** Folder of the checkpoint signing key pair (default {@code ${pledge.data-dir}/audit-service}). */
    Path keyDir();

    /** Generate the key on first start when it is missing (default {@code pledge.keys.generate-if-missing}: true; false in profile cluster, where it is mounted). */
    @WithDefault("true")
    boolean generateKeyIfMissing();

    /** How often a checkpoint is signed when entries were added (default 10s); also in the scheduler expression. */
    @WithDefault("10s")
    String checkpointEvery();

    /** The public base URL of this service behind the gateway, for links in holder replies (default https://pledge.local/api/audit). */
    @WithDefault("https://pledge.local/api/audit")
    String publicUrl();

    /** The holder id audit-service answers rights commands as (default audit-service). */
    @WithDefault("audit-service")
    String holderId();

    /**
     * Holder clients that may read a subject's history for the subject's export package (the
     * {@code exportLocation} of this service's {@code EXPORTED} reply); default {@code rights-request-service}.
     */
    @WithDefault("rights-request-service")
    java.util.Set<String> exportReaders();

    /** Largest page a query may ask for (default 500). */
    @WithDefault("500")
    int maxPageSize();

    /** Retention of entry bodies per category (policy 5.4). */
    Retention retention();

    /** What a subject's erasure keeps (policies 6.3, 5.4, 5.2.3). */
    Erasure erasure();

    /** How consumed batches are recorded. */
    Ingest ingest();

    interface Ingest {

        /** Threads that decode and validate a consumed batch's records at once, the consumer's own among them (default 2). */
        @WithDefault("2")
        int decodeThreads();
    }

    /** How the whole ledger is verified. */
    Verify verify();

    interface Verify {

        /** Segments read and checked at once, each from its own checkpoint's anchor (default 2; 1 reads the ledger in one pass). */
        @WithDefault("2")
        int parallelism();

        /** Smallest ledger (entries) that is split into segments (default 100000; smaller ones are read in one pass). */
        @WithDefault("100000")
        long parallelFrom();
    }

    interface Erasure {

        /**
         * Categories whose bodies an erasure keeps until their retention period ends, each with the legal basis it is
         * kept under: {@code pledge.audit.erasure.retain.<category>=<BASIS>} (default
         * {@code personal-data-access=ACCESS_RECORD_5_2_3}). Only a category with a retention period
         * ({@code pledge.audit.retention.bodies.<category>}) can be kept; every other body is removed at once.
         */
        Map<String, String> retain();
    }

    interface Retention {

        /** How often the retention run goes (default 1h); also in the scheduler expression. */
        @WithDefault("1h")
        String every();

        /**
         * How long a category's bodies are kept before they are redacted (the entry, its hashes and its envelope
         * stay): {@code pledge.audit.retention.bodies.<category>=P400D}. Every category must be listed (the service
         * refuses to start otherwise, policy 5.4).
         */
        Map<String, Duration> bodies();

        /** Entries redacted per transaction (default 1000). */
        @WithDefault("1000")
        int batchSize();
    }
}
