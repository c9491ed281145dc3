-- Why a body is gone (issue 18): 'retention' (its category's period ended, policy 5.4) or 'erasure' (the subject's
-- erasure reached audit-service, policies 6.3/6.5). Like redacted_at it is not hashed: the chain covers the body's
-- SHA-256 (body_sha256), so removing the body leaves every entry hash, link and signed checkpoint as it was.
alter table audit_entry add column redaction varchar(20);
update audit_entry set redaction = 'retention' where redacted_at is not null;
alter table audit_entry add constraint audit_entry_redaction
    check ((body is null) = (redaction is not null) and redaction in ('retention', 'erasure'));

-- A salted body commitment for entries recorded from now on: body_sha256 = SHA-256("pledge-audit-body/v2" || salt ||
-- body) with a random 16-byte salt kept beside the body (EntryHasher.bodyCommitment). Removing the body removes the
-- salt too, so the commitment left in the chain cannot confirm a guessed body. Entries recorded before this
-- migration keep body_salt null and their plain SHA-256(body), exactly as chained and signed.
alter table audit_entry add column body_salt bytea;
alter table audit_entry add constraint audit_entry_body_salt
    check ((body is not null or body_salt is null) and (body_salt is null or length(body_salt) = 16));
