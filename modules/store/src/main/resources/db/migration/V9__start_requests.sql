-- Idempotency-Key on POST /v1/customers/{id}/verifications: a retried start (a timeout on the
-- operator's side, a double click) must not open a second session at the provider. The first
-- request with a key claims the row; its 201 answer is stored sealed (it may hold the provider's
-- client secret) and replayed to every retry with the same key for 24 hours. A failed start
-- deletes its claim, so a retry runs again.
CREATE TABLE start_requests (
  tenant_id       text        NOT NULL,
  idempotency_key text        NOT NULL,
  customer_id     text        NOT NULL,
  provider        text        NOT NULL,
  key_id          text,
  response        bytea,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, idempotency_key)
);
CREATE INDEX start_requests_created ON start_requests (tenant_id, created_at);
