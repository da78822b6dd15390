-- Panel plugins, how a line waits for an action, and the customer emails. Portable like 00001:
-- TEXT ids, BIGINT unix-millisecond times (NULL when there is none), JSON kept as TEXT, '' rather
-- than NULL for optional text.

-- +goose Up
CREATE TABLE panels (
    name         TEXT PRIMARY KEY,
    type         TEXT NOT NULL,
    base_url     TEXT NOT NULL DEFAULT '',
    -- The HMAC secret requests are signed with: write-only in the API, kept because signing
    -- needs it, sealed by the store since 00011.
    secret       TEXT NOT NULL DEFAULT '',
    timeout_ms   BIGINT NOT NULL DEFAULT 0,
    -- capabilities is a JSON array of names; '[]' for none.
    capabilities TEXT NOT NULL DEFAULT '[]',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

-- manual: the pending action waits for an admin to confirm it was done by hand (the panel
-- cannot do it, or gave up); pending_reason says why.
ALTER TABLE lines ADD COLUMN manual BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE lines ADD COLUMN pending_reason TEXT NOT NULL DEFAULT '';
-- A panel cannot be removed while a line that is not terminated names it.
CREATE INDEX lines_panel ON lines (panel, state);
-- A line's own history is its timeline entries.
CREATE INDEX timeline_line ON timeline (line_id, created_at, id);

CREATE TABLE emails (
    id           TEXT PRIMARY KEY,
    template     TEXT NOT NULL,
    dispute_id   TEXT NOT NULL DEFAULT '',
    order_id     TEXT NOT NULL DEFAULT '',
    customer_id  TEXT NOT NULL DEFAULT '',
    to_address   TEXT NOT NULL DEFAULT '',
    to_name      TEXT NOT NULL DEFAULT '',
    from_address TEXT NOT NULL DEFAULT '',
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    -- queued (a job will send it), sent, failed (given up), not_sent (never tried: no SMTP
    -- server, no address); reason says why it is not sent, or the last error.
    state        TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    attempts     BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    sent_at      BIGINT
);
CREATE INDEX emails_dispute ON emails (dispute_id, created_at, id);
CREATE INDEX emails_order ON emails (order_id, created_at, id);

-- emails_off is a JSON array of the template names the merchant switched off.
ALTER TABLE settings ADD COLUMN emails_off TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE settings DROP COLUMN emails_off;
DROP TABLE emails;
DROP INDEX timeline_line;
DROP INDEX lines_panel;
ALTER TABLE lines DROP COLUMN pending_reason;
ALTER TABLE lines DROP COLUMN manual;
DROP TABLE panels;
