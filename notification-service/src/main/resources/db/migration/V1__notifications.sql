-- notification-service: deliveries, campaigns, incidents, announcements, cessation, the subject directory.
-- No contact value (email, mobile, postal address) and no verification code is ever stored here: they
-- are fetched from account-service at send time and live only in memory for the delivery attempt.

-- Who exists, for "every subject" campaigns (policy change, cessation, breach by category): a projection
-- of account.events holding ids, locale and status only.
create table subject_directory (
    subject_id    uuid         primary key,
    locale        varchar(8)   not null,
    status        varchar(16)  not null,             -- ACTIVE or CANCELLED
    registered_at timestamptz  not null,
    updated_at    timestamptz  not null
);
create index subject_directory_active on subject_directory (subject_id) where status = 'ACTIVE';

-- One notice on one channel. (notice_id, channel) is the de-duplication key: a NoticeRequested
-- redelivered, or a campaign expanded twice after a restart, inserts nothing new.
create table delivery (
    id              uuid         primary key,
    notice_id       uuid         not null,
    subject_id      uuid,                              -- null once the subject's data was erased
    kind            varchar(24)  not null,             -- VERIFICATION_CODE SERVICE MARKETING BREACH POLICY_CHANGE CESSATION
    template_id     varchar(64)  not null,
    channel         varchar(8)   not null,             -- EMAIL SMS PUSH PHONE LETTER
    locale          varchar(8)   not null,
    params          jsonb,                             -- ids, dates and codes of the request (never secrets); null once erased
    priority        int          not null,             -- lower is sent first
    campaign_id     uuid,
    status          varchar(12)  not null,             -- PENDING SENDING SENT FAILED CANCELLED
    attempts        int          not null default 0,
    next_attempt_at timestamptz  not null,
    lease_until     timestamptz,
    tracked         boolean      not null default false,   -- open pixel / click tracking (email-tracking consent)
    reason_code     varchar(40),
    requested_at    timestamptz  not null,
    handed_at       timestamptz,                       -- first handed to a provider
    sent_at         timestamptz,                       -- the provider accepted it
    failed_at       timestamptz,
    opened_at       timestamptz,
    clicked_at      timestamptz,
    erased_at       timestamptz,
    unique (notice_id, channel)
);
create index delivery_due on delivery (priority, next_attempt_at) where status = 'PENDING';
create index delivery_leased on delivery (lease_until) where status = 'SENDING';
create index delivery_subject on delivery (subject_id);
create index delivery_campaign on delivery (campaign_id, status);

-- A notice to many subjects: one per incident, material policy version or cessation. Expanded into
-- delivery rows in batches by subject id order, so a restart resumes where it stopped.
create table campaign (
    id            uuid         primary key,
    kind          varchar(24)  not null,               -- BREACH POLICY_CHANGE CESSATION
    ref           varchar(100) not null unique,        -- incident:<id>, policy:<version>, cessation:<id>
    template_id   varchar(64)  not null,
    channels      varchar(8)[] not null,
    params        jsonb        not null,
    audience      varchar(16)  not null,               -- LIST (campaign_target) or ACTIVE / KNOWN (subject_directory)
    status        varchar(12)  not null,               -- EXPANDING SENDING DONE
    cursor_subject uuid,                               -- last subject expanded
    subjects      int          not null default 0,
    deadline      timestamptz,
    created_at    timestamptz  not null,
    expanded_at   timestamptz,
    completed_at  timestamptz
);

create table campaign_target (
    campaign_id uuid not null references campaign (id),
    subject_id  uuid not null,
    primary key (campaign_id, subject_id)
);

-- A declared security incident (policy 5.3). The five parts in both languages are the officer's
-- statement about the incident, never about a person.
create table incident (
    id                    uuid         primary key,
    declared_by           varchar(100) not null,
    declared_at           timestamptz  not null,
    occurred_at           timestamptz,
    discovered_at         timestamptz,
    parts                 jsonb        not null,       -- {title, whatHappened, possibleEffects, measuresTaken, selfProtection, remedies} x {zh-CN, en}
    categories            varchar(64)[] not null,
    affected_by           varchar(12)  not null,       -- SUBJECTS or CATEGORIES
    channels              varchar(8)[] not null,
    individual_impractical boolean     not null,
    affected_subjects     int          not null,
    campaign_id           uuid,
    announcement_id       uuid
);

create table announcement (
    id           uuid         primary key,
    kind         varchar(24)  not null,                -- BREACH CESSATION
    ref          varchar(100) not null unique,
    title        jsonb        not null,                -- {zh-CN, en}
    body         jsonb        not null,
    published_at timestamptz  not null
);

create table cessation (
    id              uuid         primary key,
    scheduled_by    varchar(100) not null,
    scheduled_at    timestamptz  not null,
    ends_at         timestamptz  not null,
    statement       jsonb        not null,             -- {zh-CN, en}
    campaign_id     uuid,
    announcement_id uuid,
    cancelled_at    timestamptz
);

-- Letters waiting for the print provider: the rendered text and the subject id only; the print
-- provider, a registered holder, fetches the postal address from account-service itself.
create table print_job (
    id          uuid         primary key,
    delivery_id uuid         not null unique,
    subject_id  uuid,
    locale      varchar(8)   not null,
    subject_line text        not null,
    body        text         not null,
    queued_at   timestamptz  not null,
    exported_at timestamptz
);

create table idempotent_request (
    scope      varchar(40)  not null,
    key        varchar(200) not null,
    body       text         not null,
    created_at timestamptz  not null,
    primary key (scope, key)
);
