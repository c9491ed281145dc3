-- account-service V10: what a processing stop stops (purpose_use), and minors under 18 with the child rules under 14.
-- What account-service processes for a consent-based purpose: the contact lookups it answered for a holder, per
-- subject and purpose, with the consent record that permitted the last one. A processing stop (policy 6.4) marks the
-- row stopped: lookups for that purpose are refused for the subject from then on, whatever a lagging consent answer
-- says, until consent-service permits it by a different (newer) consent record. No row: nothing was processed here
-- for that purpose, and a stop is answered NOT_HELD. Ids, purpose codes and times only.
create table purpose_use (
    subject_id        uuid         not null,
    purpose_id        varchar(64)  not null,
    consent_record_id uuid,                        -- the consent record that permitted the last answered lookup
    lookups           bigint       not null default 0,
    last_used_at      timestamptz  not null,
    stopped_at        timestamptz,                 -- set by a ProcessingStopRequested; null: lookups answered
    stop_request_id   uuid,
    primary key (subject_id, purpose_id)
);

-- Policy 7: a guardian's consent for every minor (under 18, account.minor), with the child rules of 7.4 for those
-- under 14 (account.child). Accounts registered before this held only children as minors: they keep that flag.
alter table account add column child boolean not null default false;
update account set child = minor;
