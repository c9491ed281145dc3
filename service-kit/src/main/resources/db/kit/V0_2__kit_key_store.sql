-- The subject key store, in its own schema so that it can be backed up on a short rotation of its
-- own (pg_dump --schema=pledge_keys) apart from the service's data (pg_dump --exclude-schema=pledge_keys).
-- Once a subject is shredded and the key store's backups have rolled over, every copy of that
-- subject's personal data, in any backup of the data, is unreadable (policy 6.3).
create schema if not exists pledge_keys;

-- One AES-256 data key per subject, wrapped by the service's key-encryption key (KEK).
create table pledge_keys.subject_key (
    subject_id  uuid         primary key,
    wrapped     text         not null,      -- the KEK's ciphertext of the data key; never the key itself
    kek_version varchar(40)  not null,
    created_at  timestamptz  not null default now(),
    rewrapped_at timestamptz
);
create index subject_key_kek_version on pledge_keys.subject_key (kek_version);

-- Subjects whose keys were destroyed, and when. No key material: only the fact, so that writes
-- for a shredded subject are refused and readers get a clear answer.
create table pledge_keys.shredded_subject (
    subject_id  uuid         primary key,
    shredded_at timestamptz  not null default now()
);
