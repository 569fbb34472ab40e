-- Every authenticated webhook, stored before it is answered. The raw body is kept as received;
-- only harmless headers are kept (never Authorization or signatures).
CREATE TABLE inbox (
  id              bigserial PRIMARY KEY,
  tenant_id       text        NOT NULL,
  provider        text        NOT NULL,
  idempotency_key text        NOT NULL,
  received_at     timestamptz NOT NULL,
  headers         jsonb       NOT NULL DEFAULT '{}'::jsonb,
  body            bytea       NOT NULL,
  applied_at      timestamptz,
  claimed_until   timestamptz,
  attempts        integer     NOT NULL DEFAULT 0,
  last_error      text,
  UNIQUE (tenant_id, provider, idempotency_key)
);
CREATE INDEX inbox_unapplied ON inbox (received_at) WHERE applied_at IS NULL;
