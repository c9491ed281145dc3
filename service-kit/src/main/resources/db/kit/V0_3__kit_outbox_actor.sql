-- Who acted, when a staff member's request caused the event: their staff id (CloudEvents extension attribute
-- "actor", Kafka header ce_actor). audit-service records it as the entry's actor instead of the producing service.
alter table pledge_outbox add column ce_actor varchar(100);
