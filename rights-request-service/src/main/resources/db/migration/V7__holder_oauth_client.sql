-- A holder's own OAuth client at account-service (client id holder-<id>, the same name as its Kafka principal) and the
-- scopes the registering officer granted it (each from io.pledge.kit.security.Scopes.HOLDER_GRANTABLE). Null: the
-- holder has no OAuth client. The secret lives at account-service as a hash only; it is shown once, here never.
alter table holder add column oauth_client_id varchar(100);
alter table holder add column oauth_scopes text[];
