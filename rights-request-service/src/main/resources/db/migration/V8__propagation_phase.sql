-- A propagation in phases (policy 6.2): a correction's command goes first to the source of its fields only
-- (AT_SOURCE), and to every other holder of them once the source answered CORRECTED (AT_HOLDERS), so nobody re-reads
-- a value before its source changed it. Stored with the request so that a restart between the phases loses nothing.
-- Null for every other request (one phase), and for a correction dispatched before this column existed.
alter table rights_request add column phase varchar(20);
