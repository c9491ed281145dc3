-- account-service's own tables. Personal values are stored sealed per subject by service-kit's
-- PersonalStringConverter ("p1.<subject>.<field>.<ciphertext>"); columns ending in _lookup hold an
-- HMAC-SHA256 of the normalised value under a service secret, so a login id can be found without
-- the value being stored in clear. No column holds a password, code or contact value in clear.

create table account (
    id                      uuid         primary key,
    account_type            varchar(16)  not null,                -- INDIVIDUAL or ENTERPRISE
    status                  varchar(24)  not null,                -- PENDING_VERIFICATION, PENDING_GUARDIAN, ACTIVE, CANCELLED
    user_name               text         not null,                -- sealed
    user_name_lookup        varchar(64)  not null unique,
    email                   text         not null,                -- sealed
    email_lookup            varchar(64)  not null unique,
    email_verified_at       timestamptz,
    mobile                  text         not null,                -- sealed
    mobile_lookup           varchar(64)  not null unique,
    mobile_verified_at      timestamptz,
    birth_date              text         not null,                -- sealed ISO date
    minor                   boolean      not null,
    password_hash           varchar(200) not null,                -- Argon2id, PHC string format
    password_reset_required boolean      not null default false,
    failed_logins           int          not null default 0,
    locked_until            timestamptz,
    guardian_id             uuid,
    guardian_link_hash      varchar(64),                          -- SHA-256 of the one-time link code given to a minor
    guardian_consented_at   timestamptz,
    erase_after             timestamptz,                          -- an unconsented minor's data goes then (policy 7.3)
    real_name_status        varchar(16)  not null default 'NONE', -- NONE, PENDING, VERIFIED, FAILED
    created_at              timestamptz  not null,
    cancelled_at            timestamptz
);
create index account_pending_minor on account (erase_after) where status = 'PENDING_GUARDIAN';
create index account_pending_verification on account (created_at) where status = 'PENDING_VERIFICATION';
create index account_guardian on account (guardian_id) where guardian_id is not null;

-- Optional profile (policy 2.1.1(1)): every column may be null at any time.
create table profile (
    subject_id uuid        primary key references account (id) on delete cascade,
    province   text,                                               -- all sealed
    city       text,
    nickname   text,
    address    text,
    qq         text,
    website    text,
    updated_at timestamptz not null
);

-- Verification codes (6 digits, short-lived, few tries). The id is also the NoticeRequested id that
-- notification-service uses to fetch code and address at send time.
create table verification_code (
    id            uuid        primary key,
    subject_id    uuid        not null references account (id) on delete cascade,
    purpose       varchar(24) not null,                           -- REGISTRATION, LOGIN, PASSWORD_RESET, CONTACT_CHANGE
    channel       varchar(8)  not null,                           -- EMAIL or MOBILE
    code          text,                                           -- sealed
    pending_value text,                                           -- sealed new contact value (CONTACT_CHANGE)
    attempts      int         not null default 0,
    max_attempts  int         not null,
    expires_at    timestamptz not null,
    consumed_at   timestamptz,
    fetched_at    timestamptz,
    created_at    timestamptz not null
);
create index verification_code_subject on verification_code (subject_id);
create index verification_code_expired on verification_code (expires_at);

-- Rate limiting: one row per attempt in a bucket (keyed hash of a contact value or client address).
create table rate_event (
    bucket varchar(80) not null,
    at     timestamptz not null
);
create index rate_event_bucket on rate_event (bucket, at);

-- Login sessions and their rotating refresh tokens (SHA-256 of the token; the token itself is never stored).
create table login_session (
    id            uuid        primary key,
    subject_id    uuid        not null references account (id) on delete cascade,
    created_at    timestamptz not null,
    expires_at    timestamptz not null,
    revoked_at    timestamptz,
    revoke_reason varchar(32)
);
create index login_session_subject on login_session (subject_id);

create table refresh_token (
    token_hash varchar(64) primary key,
    session_id uuid        not null references login_session (id) on delete cascade,
    issued_at  timestamptz not null,
    used_at    timestamptz
);
create index refresh_token_session on refresh_token (session_id);

-- Real-name authentication (policy 2.1.1(2)). Identity values sealed; never a face image. No foreign
-- key: a verified record outlives the account for its legal retention period (retained_until).
create table real_name_verification (
    id               uuid        primary key,
    subject_id       uuid        not null,
    method           varchar(32) not null,   -- FACE, ALIPAY, BANK_TRANSFER, ENTERPRISE_ALIPAY, ENTERPRISE_BANK_TRANSFER
    status           varchar(16) not null,   -- PENDING, VERIFIED, FAILED
    real_name        text,
    id_number        text,
    id_photo_front   text,                   -- references to the photos held by the verification provider
    id_photo_back    text,
    bank_account     text,
    bank_name        text,
    bank_branch      text,
    entity_name      text,
    credit_code      text,
    licence_ref      text,
    provider_ref     text,
    created_at       timestamptz not null,
    decided_at       timestamptz,
    retained_until   date
);
create index real_name_verification_subject on real_name_verification (subject_id);

-- Cancellation holds (policy 6.5) placed and lifted by holders.
create table cancellation_hold (
    id         uuid        primary key,
    subject_id uuid        not null references account (id) on delete cascade,
    kind       varchar(16) not null,         -- RESOURCES, UNPAID_FEES, DISPUTE
    holder_id  varchar(100) not null,
    placed_at  timestamptz not null,
    lifted_at  timestamptz
);
create index cancellation_hold_active on cancellation_hold (subject_id) where lifted_at is null;

-- Idempotency-Key: the first answer to a key, replayed for a repeat. Bodies hold ids and codes only.
create table idempotent_request (
    scope      varchar(40)  not null,
    key        varchar(200) not null,
    status     int          not null,
    body       text         not null,
    created_at timestamptz  not null,
    primary key (scope, key)
);
