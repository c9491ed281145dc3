-- Where a third-party holder's export parts may be fetched from (issue 16): an EXPORTED reply whose exportLocation
-- is not under this base is refused and not counted. Null: the holder cannot deliver export parts (every EXPORTED
-- reply of it is refused). Pledge's own services (kind SERVICE) are bound to the configured rewrite prefixes instead.
alter table holder add column export_base_url varchar(2000);
-- A refused reply's reason (V5 added the column for signature refusals; export-location refusals share it), ids and
-- codes only
alter table holder_reply alter column refusal_reason type varchar(200);
alter table holder_reply alter column disposition type varchar(40);
