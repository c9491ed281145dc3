-- Test-only: an entity with personal fields, to prove they are stored sealed.
create table kit_test_person (
    id         uuid primary key,
    subject_id uuid not null,
    email      text,
    mobile     text,
    nickname   varchar(100)
);
