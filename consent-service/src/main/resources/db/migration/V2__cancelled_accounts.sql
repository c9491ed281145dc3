-- Policy 5.4: after an account is cancelled its data is kept only for the shortest legal period, with no
-- commercial use. consent-service records the cancellation so that marketing purposes stay off meanwhile.
alter table known_subject add column cancelled_at timestamptz;
create index known_subject_cancelled on known_subject (subject_id) where cancelled_at is not null;
