-- Reuse binding: a verification carries the fingerprint of the claims its customer had when it was
-- started (or, for one the provider opened itself, when it was first decided). Reuse draws only on a
-- verification whose own fingerprint matches, so claims written after a decision never inherit it.
ALTER TABLE verifications ADD COLUMN fingerprint bytea;
CREATE INDEX verifications_reuse_sources ON verifications (fingerprint)
  WHERE fingerprint IS NOT NULL AND reused_from IS NULL AND status = 'verified';

-- A customer one of whose verifications was verified with a fingerprint may have been reused: when
-- it later leaves verified (rejected, expired), every reuse of its verifications is revoked.
ALTER TABLE customers ADD COLUMN reuse_source boolean NOT NULL DEFAULT false;

-- What existed before is bound to the claims the customer holds now (the best the hub knows).
UPDATE verifications v SET fingerprint = c.identity_fingerprint FROM customers c
  WHERE c.tenant_id = v.tenant_id AND c.id = v.customer_id AND c.identity_fingerprint IS NOT NULL
    AND v.reused_from IS NULL AND v.decided_at IS NOT NULL;
UPDATE customers c SET reuse_source = true WHERE EXISTS (
  SELECT 1 FROM verifications v WHERE v.tenant_id = c.tenant_id AND v.customer_id = c.id
    AND v.fingerprint IS NOT NULL AND v.reused_from IS NULL AND v.decided_at IS NOT NULL);

-- The follow-up work of a status change, recorded in the change's own transaction and run from here
-- by any node until done: offering a verified person's verification to other operators' waiting
-- customers, revoking the reuses of a source that lapsed, forwarding a manual decision to the provider.
CREATE TABLE follow_ups (
  id              bigserial PRIMARY KEY,
  kind            text        NOT NULL,
  tenant_id       text        NOT NULL,
  customer_id     text        NOT NULL,
  verification_id uuid,
  event_seq       bigint,
  payload         jsonb       NOT NULL DEFAULT '{}'::jsonb,
  state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
  attempts        integer     NOT NULL DEFAULT 0,
  due_at          timestamptz NOT NULL DEFAULT now(),
  claimed_until   timestamptz,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz
);
CREATE INDEX follow_ups_due ON follow_ups (due_at) WHERE state = 'pending';
CREATE INDEX follow_ups_failed ON follow_ups (id) WHERE state = 'failed';
CREATE INDEX follow_ups_event ON follow_ups (tenant_id, event_seq);
