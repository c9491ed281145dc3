-- rights-request-service: the holder registry, data-subject requests, the propagation ledger,
-- certificates, retention follow-ups, inbound sources and disclosure records. No personal values:
-- subject ids, codes and dates only (an officer's explanation or a complaint text is not stored).

-- Every holder of personal data (policy 4.1, 4.2, 5.4): the five services and registered third parties.
create table holder (
    id              varchar(100) primary key,
    kind            varchar(20)  not null,   -- SERVICE, DOWNSTREAM, DELEGATEE, PARTNER, AFFILIATE, OFFSHORE, RECIPIENT
    categories      text[]       not null,
    purposes        text[]       not null,
    region          varchar(40)  not null,
    channel         varchar(10)  not null,   -- KAFKA, WEBHOOK, or LOCAL (this service itself)
    webhook_url     varchar(2000),
    webhook_secret  varchar(200),            -- HMAC-SHA256 key shared with a webhook holder
    agreement       jsonb,                   -- 4.1: matters, period, nature, purpose, responsibilities
    ack_sla_seconds bigint       not null,
    status          varchar(20)  not null,   -- ACTIVE, OFFBOARDING, OFFBOARDED
    created_at      timestamptz  not null default now(),
    offboarded_at   timestamptz,
    offboarding_request_id uuid
);

-- A data-subject request, or an internal propagation (retention follow-up, cessation, offboarding, breach).
create table rights_request (
    id                uuid primary key,
    subject_id        uuid,                    -- null for offboarding and breach measures
    type              varchar(30)  not null,   -- ACCESS, COPY, CORRECTION, DELETION, CONSENT_SCOPE, CANCELLATION, AUTOMATED_DECISION, COMPLAINT, OFFBOARDING, BREACH_MEASURES
    origin            varchar(30)  not null,   -- SUBJECT, GUARDIAN, OPERATOR, ACCOUNT_CANCELLED, CONSENT_WITHDRAWN, RETENTION, CESSATION, REGISTRY, INCIDENT
    status            varchar(30)  not null,   -- AWAITING_VERIFICATION, FEE_QUOTED, IN_PROGRESS, AWAITING_OPERATOR, COMPLETED, REFUSED, EXPIRED
    ground            varchar(30),
    fields            text[],
    categories        text[],
    purpose_id        varchar(64),
    recipient_id      varchar(100),
    export_purpose    varchar(10),
    decision_ref      varchar(100),
    opt_out           boolean,
    topic_code        varchar(64),
    work_order        varchar(100),
    submitted_by      varchar(100),            -- the caller's token subject (an operator id or the subject id)
    idempotency_key   varchar(200),
    verification_id   varchar(100),
    submitted_at      timestamptz  not null,
    verified_at       timestamptz,
    due_at            timestamptz  not null,
    original_due_at   timestamptz  not null,
    state_deadline    timestamptz,             -- the timeout of the current non-final state
    state_owner       varchar(40),             -- who must act before it: SUBJECT, HOLDERS, PRIVACY_OFFICER
    extension_reason  varchar(64),
    refusal_code      varchar(64),
    fee_cents         bigint,
    outcome_code      varchar(64),             -- e.g. UNVERIFIED, FEE_NOT_ACCEPTED, RESOLVED, EXPLAINED
    explanation_code  varchar(64),
    completed_at      timestamptz,
    certificate_id    uuid,
    escalated_at      timestamptz,
    related_id        uuid,                    -- incident, cessation or originating request
    transfer_status   varchar(20),             -- PENDING, DELIVERED, FAILED (COPY to a recipient)
    unique (subject_id, idempotency_key)
);
create index rights_request_subject on rights_request (subject_id, type, submitted_at);
create index rights_request_open on rights_request (state_deadline) where status not in ('COMPLETED', 'REFUSED', 'EXPIRED');

-- The propagation ledger: per request, per expected holder, written with the command's outbox row.
create table ledger_entry (
    request_id      uuid         not null references rights_request (id),
    holder_id       varchar(100) not null references holder (id),
    command         varchar(40)  not null,
    status          varchar(20)  not null,   -- PENDING, FINAL
    outcome         varchar(30),             -- the holder's outcome, or RESOLVED_BY_OFFBOARDING
    failure_code    varchar(64),
    export_location varchar(2000),
    retained        jsonb,
    counts          jsonb,
    replied_at      timestamptz,
    sent_at         timestamptz  not null,
    resend_count    int          not null default 0,
    last_sent_at    timestamptz  not null,
    reminded_at     timestamptz,
    due_at          timestamptz  not null,   -- sent_at + the holder's ack SLA
    escalated_at    timestamptz,
    resolved_by     uuid,                    -- the offboarding request that resolved it
    primary key (request_id, holder_id)
);
create index ledger_entry_pending on ledger_entry (due_at) where status = 'PENDING';

-- Every reply received, expected or not, counted or not (durable, idempotent per event id).
create table holder_reply (
    id          bigserial primary key,
    event_id    varchar(200) not null unique,
    request_id  uuid         not null,
    holder_id   varchar(100) not null,
    outcome     varchar(30)  not null,
    via         varchar(10)  not null,       -- KAFKA or WEBHOOK
    disposition varchar(20)  not null,       -- COUNTED, UNEXPECTED, ALREADY_FINAL
    body        jsonb        not null,       -- the HolderReplied event (ids and codes only)
    received_at timestamptz  not null default now()
);
create index holder_reply_request on holder_reply (request_id);

-- Signed completion certificates of erasures.
create table certificate (
    id         uuid primary key,
    request_id uuid        not null unique references rights_request (id),
    subject_id uuid        not null,
    payload    text        not null,          -- the exact JSON signed
    signature  text        not null,          -- base64url DER ECDSA P-256 (SHA256withECDSA)
    key_id     varchar(100) not null,
    issued_at  timestamptz not null
);

-- RETAINED items erased at their until-date (policy 5.4).
create table retention_followup (
    id          uuid primary key,
    request_id  uuid         not null,
    holder_id   varchar(100) not null,
    subject_id  uuid         not null,
    category    varchar(64)  not null,
    legal_basis varchar(64)  not null,
    until_date  date         not null,
    status      varchar(20)  not null,       -- SCHEDULED, ISSUED
    followup_request_id uuid,
    unique (request_id, holder_id, category)
);
create index retention_followup_due on retention_followup (until_date) where status = 'SCHEDULED';

-- Subjects known from account.events (for erasure of every subject at cessation, 6.9).
create table known_subject (
    subject_id    uuid primary key,
    registered_at timestamptz,
    cancelled_at  timestamptz
);

create table cessation (
    id          uuid primary key,
    ends_at     timestamptz not null,
    status      varchar(20) not null,        -- SCHEDULED, EXECUTED
    executed_at timestamptz,
    subjects    int
);

-- Signed webhook calls to holders without Kafka, retried with backoff.
create table webhook_delivery (
    id            uuid primary key,
    holder_id     varchar(100) not null,
    request_id    uuid         not null,
    kind          varchar(40)  not null,     -- the command name, or TRANSFER_PACKAGE
    body          text         not null,     -- the command JSON (ids only); empty for a package, built when sent
    attempts      int          not null default 0,
    next_at       timestamptz  not null,
    delivered_at  timestamptz,
    last_status   int,
    given_up_at   timestamptz
);
create index webhook_delivery_due on webhook_delivery (next_at) where delivered_at is null and given_up_at is null;

-- Escalations to operators: a holder past its SLA, or a request past its own deadline.
create table escalation (
    id          uuid primary key,
    request_id  uuid         not null,
    holder_id   varchar(100) not null,
    reason      varchar(40)  not null,       -- HOLDER_PAST_SLA, REQUEST_OVERDUE
    overdue_since timestamptz not null,
    escalated_at  timestamptz not null,
    resolved_at   timestamptz,
    unique (request_id, holder_id, reason)
);

-- Inbound sources of personal data (policy 2.1.3).
create table inbound_source (
    id            varchar(100) primary key,
    legal_basis   varchar(64)  not null,
    consent_scope text[]       not null,      -- purposes the source's consent covers
    categories    text[]       not null,
    status        varchar(20)  not null,
    registered_at timestamptz  not null
);

-- Public disclosures (policy 4.4): only with the subject's consent or a legal document.
create table disclosure (
    id                 uuid primary key,
    subject_id         uuid,
    recipient          varchar(100) not null,
    categories         text[]       not null,
    legal_document_ref varchar(200) not null,
    basis              varchar(20)  not null,  -- LEGAL_DOCUMENT or CONSENT
    recorded_by        varchar(100) not null,
    disclosed_at       timestamptz  not null
);

-- Seed: the five internal holders (categories and purposes from their READMEs).
insert into holder (id, kind, categories, purposes, region, channel, ack_sla_seconds, status, agreement) values
('account-service', 'SERVICE', '{account,contact,profile,real-name,session}',
 '{core-service,security,business-notifications}', 'CN', 'KAFKA', 86400, 'ACTIVE', null),
('consent-service', 'SERVICE', '{consent-records,preferences}',
 '{core-service,legal-disclosure,cookies-necessary}', 'CN', 'KAFKA', 86400, 'ACTIVE', null),
('notification-service', 'SERVICE', '{notifications,contact-usage}',
 '{business-notifications,marketing-email,marketing-phone,email-tracking}', 'CN', 'KAFKA', 86400, 'ACTIVE', null),
('audit-service', 'SERVICE', '{audit-history}', '{security,legal-disclosure}', 'CN', 'KAFKA', 86400, 'ACTIVE', null),
-- this service answers for itself inside the dispatching transaction (channel LOCAL)
('rights-request-service', 'SERVICE', '{rights-requests}', '{core-service}', 'CN', 'LOCAL', 86400, 'ACTIVE', null);
