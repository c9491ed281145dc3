-- Staff accounts (privacy-officer, security-officer, support-agent, administrator): password (Argon2id) plus a
-- mandatory TOTP second factor. The TOTP secret and the display name are sealed under the staff member's own data
-- key (kit PersonalString); recovery codes and enrolment/refresh tokens are stored as SHA-256 only.
create table staff_member (
    id                   uuid         primary key,
    login                varchar(64)  not null unique,
    display_name         text         not null,
    role                 varchar(32)  not null,
    status               varchar(16)  not null,
    password_hash        varchar(200),
    totp_secret          text,
    enrolled_at          timestamptz,
    last_totp_step       bigint,
    failed_logins        integer      not null default 0,
    locked_until         timestamptz,
    enrolment_token_hash varchar(64) unique,
    enrolment_expires_at timestamptz,
    created_at           timestamptz  not null,
    created_by           uuid
);

create table staff_recovery_code (
    code_hash varchar(64) primary key,
    staff_id  uuid        not null references staff_member (id) on delete cascade,
    used_at   timestamptz
);
create index staff_recovery_code_staff on staff_recovery_code (staff_id);

-- Staff sessions: access tokens carry the id (sid); every service refuses them once ended_at is set or
-- expires_at has passed.
create table staff_session (
    id         uuid        primary key,
    staff_id   uuid        not null references staff_member (id) on delete cascade,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    ended_at   timestamptz,
    end_reason varchar(32)
);
create index staff_session_staff on staff_session (staff_id);

create table staff_refresh_token (
    token_hash varchar(64) primary key,
    session_id uuid        not null references staff_session (id) on delete cascade,
    issued_at  timestamptz not null,
    used_at    timestamptz
);
create index staff_refresh_token_session on staff_refresh_token (session_id);
