-- Operator webhooks: a tenant's endpoints get every event of its log pushed to them, signed,
-- retried, in sequence order per customer. Deliveries are made from the same event log that feeds
-- SSE: each endpoint has a cursor in its tenant's log, and copying events past it into deliveries
-- and moving it happen in one transaction, on any node.
CREATE TABLE webhook_endpoints (
  id            text PRIMARY KEY,
  tenant_id     text        NOT NULL REFERENCES tenants (id),
  url           text        NOT NULL,
  description   text,
  statuses      text[],
  enabled       boolean     NOT NULL DEFAULT true,
  disabled_reason text,
  -- The signing secrets (the current one, and during a rotation the previous one with its end), sealed.
  key_id        text        NOT NULL,
  sealed        bytea       NOT NULL,
  cursor_seq    bigint      NOT NULL,
  failing_since timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id);

-- One event to one endpoint. The key is also the webhook-id the receiver sees on every attempt.
CREATE TABLE webhook_deliveries (
  endpoint_id     text        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_seq       bigint      NOT NULL,
  tenant_id       text        NOT NULL,
  customer_id     text        NOT NULL,
  state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts        integer     NOT NULL DEFAULT 0,
  due_at          timestamptz NOT NULL DEFAULT now(),
  claimed_until   timestamptz,
  last_status     integer,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz,
  PRIMARY KEY (endpoint_id, event_seq)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (due_at) WHERE state = 'pending';
-- Per customer: is an earlier event of this customer still waiting for this endpoint?
CREATE INDEX webhook_deliveries_customer ON webhook_deliveries (endpoint_id, customer_id, event_seq) WHERE state = 'pending';

-- Each attempt, kept 30 days: what was answered (status, latency, the first 1 KiB) or what failed.
CREATE TABLE webhook_attempts (
  id          bigserial PRIMARY KEY,
  endpoint_id text        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_seq   bigint      NOT NULL,
  attempt     integer     NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  status_code integer,
  latency_ms  integer     NOT NULL,
  response    text,
  error       text,
  outcome     text        NOT NULL CHECK (outcome IN ('delivered', 'retrying', 'failed'))
);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, id);
CREATE INDEX webhook_attempts_at ON webhook_attempts (at);
