-- A customer and its one current KYC state.
CREATE TABLE customers (
  tenant_id          text        NOT NULL REFERENCES tenants (id),
  id                 text        NOT NULL,
  status             text,
  previous_status    text,
  decided_by         text,
  reason_code        text,
  reason_detail      text,
  provider           text,
  verification_id    uuid,
  status_occurred_at timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX customers_status ON customers (tenant_id, status);

-- One verification attempt of a customer at one provider.
CREATE TABLE verifications (
  id                 uuid PRIMARY KEY,
  tenant_id          text        NOT NULL,
  customer_id        text        NOT NULL,
  provider           text        NOT NULL,
  provider_ref       text,
  status             text        NOT NULL,
  decided_by         text        NOT NULL,
  reason_code        text,
  reason_detail      text,
  status_occurred_at timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX verifications_customer ON verifications (tenant_id, customer_id, provider, created_at DESC);
CREATE UNIQUE INDEX verifications_provider_ref ON verifications (tenant_id, provider, provider_ref)
  WHERE provider_ref IS NOT NULL;
