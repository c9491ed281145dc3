-- A webhook reply's idempotency key is "webhook:<holder id>:<X-Pledge-Reply-Id>": up to 8 + 100 + 1 + 100
-- characters, more than the 200 the column allowed, so the longest ids the API accepts failed with a 500.
alter table holder_reply alter column event_id type varchar(300);
