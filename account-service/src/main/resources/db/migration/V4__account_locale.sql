-- A subject's preferred language for notices (zh-CN or en). Not personal data and not sealed: a plain
-- column, never on an event; notification-service reads it with the holder contact lookup.
alter table account add column locale varchar(8) not null default 'zh-CN';
alter table account add constraint account_locale check (locale in ('zh-CN', 'en'));
