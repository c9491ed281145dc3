-- An erasure ends the subject's sessions but does not cut the access token already in their hand: its refresh tokens
-- are deleted at once and each live session is cut to the token's remaining life (at most the access-token TTL),
-- so the subject can follow their deletion request to its certificate. The session rows (ids and times only) are
-- deleted by the sweep once they ended. They must therefore outlive the account row.
alter table login_session drop constraint if exists login_session_subject_id_fkey;
create index login_session_expires on login_session (expires_at);
