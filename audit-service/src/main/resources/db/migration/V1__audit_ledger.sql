-- audit-service: the append-only, hash-chained record of every privacy event (see io.pledge.audit.ledger).

-- One row per recorded event, in append order. seq is contiguous from 0; prev_hash is the previous
-- row's entry_hash (32 zero bytes for seq 0); entry_hash = SHA-256 over the canonical encoding of every
-- other column but the body itself, whose SHA-256 (body_sha256) is chained instead: retention may
-- redact an old body (body null, redacted_at set) and the chain stays verifiable.
create table audit_entry (
    seq             bigint       primary key,
    event_id        varchar(300) not null unique,   -- ce_id, or dlq:<topic>:<partition>:<offset> for dead letters
    event_type      varchar(200) not null,
    source          varchar(200) not null,
    subject_id      uuid,                           -- pseudonymous subject id, or null
    event_time      timestamptz  not null,
    dataschema      varchar(300),
    topic           varchar(200) not null,
    kafka_partition integer      not null,
    kafka_offset    bigint       not null,
    category        varchar(40)  not null,          -- retention category (account, consent, rights, ...)
    actor           varchar(200) not null,          -- who acted: holder id, accessor id or producing service
    recorded_at     timestamptz  not null,
    body_sha256     bytea        not null,
    body            text,                           -- JSON body as received (never personal values); null once redacted
    redacted_at     timestamptz,
    prev_hash       bytea        not null,
    entry_hash      bytea        not null
);
create index audit_entry_subject on audit_entry (subject_id, seq);
create index audit_entry_type on audit_entry (event_type, seq);
create index audit_entry_actor on audit_entry (actor, seq);
create index audit_entry_time on audit_entry (event_time);
create index audit_entry_retention on audit_entry (category, recorded_at) where body is not null;

-- The head of the chain, one row: its size, last hash and the Merkle frontier (the roots of the
-- perfect subtrees, one per set bit of size, highest first). Appenders lock it (select ... for update),
-- which serialises appends across threads and instances.
create table audit_head (
    id        integer primary key check (id = 1),
    size      bigint  not null,
    last_hash bytea   not null,
    frontier  bytea   not null
);
insert into audit_head (id, size, last_hash, frontier) values (1, 0, decode(repeat('00', 32), 'hex'), ''::bytea);

-- Public keys that ever signed a checkpoint (their private halves live in the data folder or a secret).
create table audit_signing_key (
    key_id     varchar(100) primary key,            -- base64url SHA-256 of the DER public key
    algorithm  varchar(40)  not null,               -- SHA256withECDSA
    public_key bytea        not null,               -- X.509 SubjectPublicKeyInfo (DER)
    first_used timestamptz  not null default now()
);

-- Signed Merkle tree heads (RFC 6962 shape) over entries [0, tree_size).
create table audit_checkpoint (
    tree_size  bigint       primary key,
    root_hash  bytea        not null,
    signed_at  timestamptz  not null,
    key_id     varchar(100) not null references audit_signing_key (key_id),
    signature  bytea        not null
);
