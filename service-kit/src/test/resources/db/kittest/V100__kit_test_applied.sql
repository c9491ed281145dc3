-- Test-only: the effect of the kit's test consumer, one row per applied event, in applied order.
create table kit_test_applied (
    applied_order bigserial primary key,
    event_id      varchar(200) not null,
    message_key   varchar(200) not null,
    seq           integer not null,
    note          varchar(100),
    published_at  timestamptz  not null,                      -- ce_time, set when the event was written
    applied_at    timestamptz  not null default clock_timestamp()
);
create index kit_test_applied_key on kit_test_applied (message_key, applied_order);
