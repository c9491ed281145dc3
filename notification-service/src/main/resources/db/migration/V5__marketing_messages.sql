-- Marketing messages a registered marketing team (a holder client with scope marketing:send) asked this service to
-- send. No subject id is kept here: each subject's notice is an ordinary delivery (erased with the subject), and a
-- message knows only its notices, so its outcome is counted from the deliveries.
create table marketing_message (
    id          uuid         primary key,
    holder_id   varchar(120) not null,          -- the client that sent it (holder-<id>); only it reads the message
    offer_id    varchar(64)  not null,
    channels    varchar(40)  not null,          -- comma-separated EMAIL SMS PUSH
    notices     int          not null,
    created_at  timestamptz  not null
);

create table marketing_notice (
    message_id  uuid not null references marketing_message (id),
    notice_id   uuid not null unique,
    primary key (message_id, notice_id)
);
