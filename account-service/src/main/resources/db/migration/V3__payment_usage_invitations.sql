-- Payment profile (policy 2.1.1(3)): how the subject pays and where invoices go. Values sealed per
-- subject; read only by the payment holders (billing) for billing, and disclosed only to affiliated
-- payment processors. Every disclosure asked for, given or refused, is on payment_disclosure.
create table payment_profile (
    subject_id      uuid        primary key references account (id) on delete cascade,
    method          varchar(24) not null,          -- ALIPAY, WECHAT_PAY, ONLINE_BANKING
    provider_token  text        not null,          -- sealed: the processor's token for the instrument, never a card number
    account_holder  text,                          -- sealed
    invoice_title   text,                          -- sealed
    tax_id          text,                          -- sealed
    billing_address text,                          -- sealed
    updated_at      timestamptz not null
);

create table payment_disclosure (
    id           uuid         primary key,
    subject_id   uuid         not null references account (id) on delete cascade,
    requester_id varchar(100) not null,            -- the holder client that asked (billing)
    recipient_id varchar(100) not null,            -- who the data was to go to
    purpose_id   varchar(64)  not null,
    fields       varchar(200) not null,            -- field names, comma-separated; never values
    outcome      varchar(16)  not null,            -- DISCLOSED or REFUSED
    reason       varchar(40),                      -- RECIPIENT_NOT_AFFILIATED, PURPOSE_NOT_BILLING
    at           timestamptz  not null
);
create index payment_disclosure_subject on payment_disclosure (subject_id, at);

-- Usage records (policy 2.1.2): device, log and coarse location data. Never the subject id, never a
-- raw client address: pseudonym = HMAC-SHA256 of the subject id under the usage secret (derivable,
-- so access and erasure find the rows); network = the client address truncated (/24 IPv4, /48 IPv6).
create table usage_record (
    id           uuid        primary key,
    pseudonym    varchar(64) not null,
    action       varchar(64) not null,
    device_model varchar(64),
    os           varchar(32),
    app_version  varchar(32),
    language     varchar(35),
    area_id      varchar(32),
    network      varchar(64),
    recorded_at  timestamptz not null
);
create index usage_record_pseudonym on usage_record (pseudonym, recorded_at);
create index usage_record_recorded on usage_record (recorded_at);

-- Friend invitations (policy 2.2.1): the invitee's email is sealed under the invitation's own key
-- (the invitation id), fetched once by notification-service to send the invitation, then erased and
-- the key shredded, so backups lose it too. It is never an account, a contact or an audience member.
create table invitation (
    id          uuid        primary key,
    inviter_id  uuid        not null references account (id) on delete cascade,
    email       text,                              -- sealed under the invitation id; null once erased
    status      varchar(16) not null,              -- PENDING, SENT, EXPIRED, WITHDRAWN
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    sent_at     timestamptz,
    erased_at   timestamptz
);
create index invitation_inviter on invitation (inviter_id, created_at);
create index invitation_pending on invitation (expires_at) where status = 'PENDING';
