-- Holder signing keys (issue 16): every reply is verified against a public key registered for the holder it names.
create table holder_key (
    holder_id  varchar(100) not null references holder (id),
    key_id     varchar(64)  not null,        -- the JWK's kid: its RFC 7638 thumbprint unless given
    jwk        jsonb        not null,        -- the public JWK (kty, crv, x[, y]); never a private key
    algorithm  varchar(10)  not null,        -- EdDSA or ES256
    source     varchar(20)  not null,        -- REGISTRATION, OFFICER, SERVICE (the service's key document), SELF
    added_at   timestamptz  not null,
    retired_at timestamptz,                  -- replies made after it no longer verify; the key stays published
    primary key (holder_id, key_id)
);

-- A reply that does not verify is recorded as REFUSED with why (UNSIGNED, UNKNOWN_HOLDER, UNKNOWN_KEY, KEY_RETIRED,
-- BAD_SIGNATURE, HOLDER_MISMATCH), never counted.
alter table holder_reply add column refusal_reason varchar(40);

-- The signed reply that made an entry final (the HolderReplied JSON with keyId and signature), embedded in certificates.
alter table ledger_entry add column signed_reply jsonb;
