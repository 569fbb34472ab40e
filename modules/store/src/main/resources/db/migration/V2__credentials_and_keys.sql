-- One row per (tenant, provider). The whole credential document (webhook secrets, API keys) is
-- AES-GCM encrypted; key_id names the master key that sealed it so master keys can rotate.
CREATE TABLE provider_credentials (
  tenant_id  text        NOT NULL REFERENCES tenants (id),
  provider   text        NOT NULL,
  enabled    boolean     NOT NULL DEFAULT true,
  key_id     text        NOT NULL,
  sealed     bytea       NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, provider)
);

-- Operator API keys: only the SHA-256 of the key's random part is kept.
CREATE TABLE api_keys (
  id         text PRIMARY KEY,
  tenant_id  text        NOT NULL REFERENCES tenants (id),
  key_hash   bytea       NOT NULL UNIQUE,
  label      text,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE audit_log (
  id      bigserial PRIMARY KEY,
  at      timestamptz NOT NULL DEFAULT now(),
  actor   text        NOT NULL,
  action  text        NOT NULL,
  target  text        NOT NULL,
  details jsonb       NOT NULL DEFAULT '{}'::jsonb
);
