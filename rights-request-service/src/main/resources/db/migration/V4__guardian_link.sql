-- Guardians of minors (policy 7), projected from account.events GuardianLinked: the one guardian who may act for
-- each ward here. Ids only.
create table guardian_link (
    ward_id     uuid primary key,
    guardian_id uuid        not null,
    linked_at   timestamptz not null
);
create index guardian_link_guardian on guardian_link (guardian_id);
