CREATE TABLE tenants (
  id                 text PRIMARY KEY CHECK (id ~ '^[a-z0-9-]{3,40}$'),
  name               text        NOT NULL,
  enabled            boolean     NOT NULL DEFAULT true,
  reuse_share        boolean     NOT NULL DEFAULT false,
  reuse_accept       boolean     NOT NULL DEFAULT false,
  reuse_max_age_days integer     NOT NULL DEFAULT 365,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

-- The per-tenant event sequence. Incrementing it locks the row until commit, so events commit
-- in sequence order and an SSE client resuming after id N can never miss an id below N.
CREATE TABLE tenant_sequences (
  tenant_id text PRIMARY KEY REFERENCES tenants (id),
  last_seq  bigint NOT NULL DEFAULT 0
);
