-- The review queue needs only under_review customers. A partial index cannot serve a lookup by
-- (tenant_id, id), so the planner always takes the primary key there, even before statistics exist
-- (the old (tenant_id, status) index was chosen on fresh tables and made every apply scan a tenant).
DROP INDEX customers_status;
CREATE INDEX customers_under_review ON customers (tenant_id, updated_at) WHERE status = 'under_review';

-- Same trap in the inbox: a partial index on received_at WHERE applied_at IS NULL made the planner
-- answer "mark delivery $1 applied if it is not" by scanning every unapplied row once a backlog
-- grew past what the statistics knew. Keyed by id, the partial index serves that statement with
-- one probe, and the sweep reads it in id (= arrival) order.
DROP INDEX inbox_unapplied;
CREATE INDEX inbox_unapplied ON inbox (id) WHERE applied_at IS NULL;
