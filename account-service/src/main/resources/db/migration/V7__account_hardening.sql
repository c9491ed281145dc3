-- Issue 17, points 4 and 5: contact changes need the password and end the other sessions; rate limits are race-free.

-- The session that asked for a contact change: it keeps living when the change applies, every other one ends.
alter table verification_code add column session_id uuid;

-- "Your email/mobile changed" goes to the OLD address: kept sealed (under the subject's key) until notification-service
-- fetches it once through GET /internal/v1/notices/{id}/secret, then erased; an unfetched one is purged at expiry.
create table contact_change_notice (
    id         uuid        primary key,                            -- also the notice id of its NoticeRequested
    subject_id uuid        not null references account (id) on delete cascade,
    channel    varchar(8)  not null,                               -- EMAIL or MOBILE: the channel that changed
    old_value  text,                                               -- sealed; null once delivered
    created_at timestamptz not null,
    expires_at timestamptz not null,
    fetched_at timestamptz
);
create index contact_change_notice_subject on contact_change_notice (subject_id);
create index contact_change_notice_expired on contact_change_notice (expires_at);

-- A counted attempt has an id, so an attempt reserved before it is evaluated can be given back (a successful login
-- or a right code is not a failure). Counting itself is serialised per bucket (RateLimiter).
alter table rate_event add column id bigserial;
create index rate_event_id on rate_event (id);
