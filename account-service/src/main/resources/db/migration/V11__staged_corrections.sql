-- Issue 18, policy 6.2: a correction changes the value at its source. The subject gives the new value here, for the
-- correction request it has open at rights-request-service; it applies when that request's verified
-- CorrectionRequested arrives (the new value never travels on Kafka).

-- The rights request an IDENTITY code was issued for (the verifier's reference): binds a staged value to the request
-- and to the subject the code was sent to.
alter table verification_code add column reference varchar(64);
create index verification_code_reference on verification_code (reference) where reference is not null;

-- One new value per (request, field). A new email or mobile is ready once the CORRECTION code sent to it is confirmed;
-- every other field at once. The value is sealed under the subject's key and removed when it is applied.
create table staged_correction (
    request_id      uuid        not null,
    field           varchar(16) not null,                           -- userName, email, mobile or an optional field
    subject_id      uuid        not null references account (id) on delete cascade,
    value           text,                                           -- sealed; null once applied
    verification_id uuid,                                           -- the CORRECTION code for a new email or mobile
    confirmed_at    timestamptz,                                    -- when that code was confirmed
    staged_at       timestamptz not null,
    applied_at      timestamptz,
    changed         boolean,                                        -- whether applying it changed the value
    primary key (request_id, field)
);
create index staged_correction_subject on staged_correction (subject_id);
create index staged_correction_verification on staged_correction (verification_id) where verification_id is not null;
create index staged_correction_unapplied on staged_correction (staged_at) where applied_at is null;
