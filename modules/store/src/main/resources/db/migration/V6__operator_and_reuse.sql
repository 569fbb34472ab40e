-- Verify-once reuse: a keyed fingerprint of a customer's normalised identity claims (never the
-- raw document number), and the verification a reused one was carried over from.
ALTER TABLE customers ADD COLUMN identity_fingerprint bytea;
CREATE INDEX customers_fingerprint ON customers (identity_fingerprint) WHERE identity_fingerprint IS NOT NULL;

ALTER TABLE verifications ADD COLUMN url text;
ALTER TABLE verifications ADD COLUMN reused_from uuid REFERENCES verifications (id);
ALTER TABLE verifications ADD COLUMN decided_at timestamptz;
ALTER TABLE verifications ADD COLUMN expires_at timestamptz;
ALTER TABLE verifications ADD COLUMN polled_at timestamptz;
CREATE INDEX verifications_reused_from ON verifications (reused_from) WHERE reused_from IS NOT NULL;
CREATE INDEX verifications_open ON verifications (updated_at) WHERE status IN ('pending', 'processing');

-- Client secrets: one customer's read access to its own events from a browser, 24 h.
CREATE TABLE client_secrets (
  secret_hash bytea PRIMARY KEY,
  tenant_id   text        NOT NULL,
  customer_id text        NOT NULL,
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX client_secrets_expiry ON client_secrets (expires_at);
