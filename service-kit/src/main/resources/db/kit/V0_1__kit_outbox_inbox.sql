-- service-kit tables, present in every service's database (Flyway location db/kit, versions 0.x so
-- they always run before the service's own db/migration scripts).

-- Transactional outbox: written in the same transaction as the state change it announces, published
-- by the relay in seq order, marked sent only after the broker acknowledged it.
create table pledge_outbox (
    seq           bigserial    primary key,
    id            uuid         not null unique,          -- CloudEvents ce_id, the idempotency key
    topic         varchar(200) not null,
    message_key   varchar(200) not null,                 -- subject id (or request id for replies)
    ce_type       varchar(200) not null,
    ce_source     varchar(200) not null,
    ce_subject    varchar(200),
    ce_time       timestamptz  not null,
    ce_dataschema varchar(300),
    payload       text         not null,                 -- JSON body; never personal values
    created_at    timestamptz  not null default now(),
    sent_at       timestamptz
);
create index pledge_outbox_unsent on pledge_outbox (seq) where sent_at is null;
create index pledge_outbox_sent on pledge_outbox (sent_at) where sent_at is not null;

-- Idempotent inbox: the id of every event a consumer applied, inserted in the same transaction as
-- the effect, so that a redelivered event is skipped.
create table pledge_processed_event (
    consumer     varchar(200) not null,
    event_id     varchar(200) not null,
    topic        varchar(200) not null,
    processed_at timestamptz  not null default now(),
    primary key (consumer, event_id)
);
