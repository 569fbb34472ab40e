-- The per-tenant event log: the SSE replay source and every customer's history.
CREATE TABLE events (
  tenant_id   text        NOT NULL,
  seq         bigint      NOT NULL,
  customer_id text        NOT NULL,
  payload     jsonb       NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX events_customer ON events (tenant_id, customer_id, seq);
