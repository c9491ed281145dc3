-- Policy 6.9: once a cessation of operation is scheduled (CessationScheduled on notification.events),
-- no new personal data is collected: registrations, profile additions and real-name submissions stop.
create table cessation (
    id           uuid primary key,
    scheduled_at timestamptz not null,
    ends_at      timestamptz not null,
    recorded_at  timestamptz not null default now()
);
