-- What a bundle needs to start at a checkpoint instead of entry 0: the Merkle frontier at tree_size
-- (its fold is the signed root, so it is checked, not trusted) and the hash of entry tree_size - 1.
alter table audit_checkpoint add column frontier bytea;
alter table audit_checkpoint add column last_hash bytea;
