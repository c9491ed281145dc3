-- Every instance of consent-service answers checks from its own in-memory view (ConsentView). A change
-- committed by one instance must reach the view of every other: each change to a subject's consent
-- state, cancellation or erasure notifies channel consent_view with the subject id, delivered by
-- PostgreSQL to every listening instance when (and only if) the transaction commits.
create function consent_view_changed() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        perform pg_notify('consent_view', old.subject_id::text);
    else
        perform pg_notify('consent_view', new.subject_id::text);
    end if;
    return null;
end $$;

create trigger consent_state_changed after insert or update or delete on consent_state
    for each row execute function consent_view_changed();
create trigger known_subject_changed after update of cancelled_at, erased_at on known_subject
    for each row execute function consent_view_changed();
