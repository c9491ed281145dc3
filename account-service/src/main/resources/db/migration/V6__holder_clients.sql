-- OAuth clients of registered holders (downstream teams), created, rotated and revoked by rights-request-service's
-- holder registry. client_id is holder-<holderId>, the same name as the holder's Kafka principal. Only the SHA-256 of
-- the secret (32 random bytes) is stored. credential_id changes with every rotation and is the sid of every token
-- issued with that secret, so a rotation or a revocation ends the tokens already issued.
create table holder_client (
    client_id     varchar(100)  primary key,
    holder_id     varchar(93)   not null unique,
    secret_hash   varchar(64)   not null,
    scopes        varchar(1000) not null,
    status        varchar(16)   not null,
    credential_id uuid          not null unique,
    created_at    timestamptz   not null,
    rotated_at    timestamptz,
    revoked_at    timestamptz,
    constraint holder_client_status check (status in ('ACTIVE', 'REVOKED'))
);
