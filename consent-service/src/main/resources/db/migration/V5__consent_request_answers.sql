-- Policies 2.3 and 9.2: a consent request is asked of each subject one by one and answered by them. One row per
-- subject and request job (the id notification-service's notice carries); the subject's decision is a ledger record
-- that names the request it answers, against the request's policy version.
create table consent_request (
    id                uuid         primary key,
    job_id            uuid         not null references consent_request_job (id),
    subject_id        uuid         not null,
    purpose_id        varchar(64)  not null references purpose (id),
    reason            varchar(20)  not null check (reason in ('NEW_PURPOSE', 'POLICY_CHANGE')),
    policy_version    varchar(40)  references policy_version (version),
    requested_at      timestamptz  not null,
    answered_at       timestamptz,
    answer_record_id  uuid,
    unique (job_id, subject_id)
);
create index consent_request_subject on consent_request (subject_id, requested_at);

-- The ledger record answering a request; part of the append-only record like every other column.
alter table consent_record add column request_id uuid;

create or replace function consent_record_append_only() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        if current_setting('pledge.retention_purge', true) = 'on' then
            return old;
        end if;
        raise exception 'consent_record is append-only: % cannot be deleted', old.id;
    end if;
    if (new.seq, new.id, new.subject_id, new.purpose_id, new.recipient_id, new.region, new.status, new.policy_version,
        new.channel, new.actor, new.actor_id, new.recorded_at, new.expires_at, new.explicit_confirmation, new.signal,
        new.transfer_terms::text, new.idempotency_key, new.reason, new.request_id)
       is distinct from
       (old.seq, old.id, old.subject_id, old.purpose_id, old.recipient_id, old.region, old.status, old.policy_version,
        old.channel, old.actor, old.actor_id, old.recorded_at, old.expires_at, old.explicit_confirmation, old.signal,
        old.transfer_terms::text, old.idempotency_key, old.reason, old.request_id)
       or (new.user_agent is not null and new.user_agent is distinct from old.user_agent)
       or (new.client_network is not null and new.client_network is distinct from old.client_network) then
        raise exception 'consent_record is append-only: % can only have its evidence erased', old.id;
    end if;
    return new;
end $$;

-- Policies 3.1, 3.2: cookie preferences of a visitor without an account, per device. The device id is a random UUID
-- the browser keeps in a first-party cookie: no personal data (no address, no user agent) is stored with it. When the
-- visitor signs in, the device's choices are applied to the subject's ledger and the device's rows are deleted.
create table device_preference (
    device_id   uuid         not null,
    purpose_id  varchar(64)  not null references purpose (id),
    status      varchar(10)  not null check (status in ('GIVEN', 'REFUSED')),
    signal      varchar(3)   check (signal in ('DNT', 'GPC')),
    updated_at  timestamptz  not null,
    primary key (device_id, purpose_id)
);
