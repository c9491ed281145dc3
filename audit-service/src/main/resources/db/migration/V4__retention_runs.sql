-- Policy 5.4: every category the ledger records has a retention rule, and each run of each rule is recorded (when,
-- by the schedule or by hand, the cutoff it applied and how many bodies it redacted), so that an operator or a test
-- can see every rule running on schedule.
create table audit_retention_run (
    id        bigserial    primary key,
    category  varchar(40)  not null,
    period    varchar(40)  not null,
    cutoff    timestamptz  not null,
    redacted  integer      not null,
    trigger   varchar(10)  not null check (trigger in ('SCHEDULE', 'MANUAL')),
    ran_at    timestamptz  not null
);
create index audit_retention_run_category on audit_retention_run (category, ran_at desc);
