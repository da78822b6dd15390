-- The core schema. It must run unchanged on SQLite and PostgreSQL, so it uses only types both
-- accept: TEXT ids, BIGINT money and unix-millisecond times (NULL when there is no time), BOOLEAN
-- flags (SQLite stores them as 0/1), BYTEA for raw bytes (SQLite gives the name NUMERIC affinity,
-- which stores a blob unchanged), and JSON kept as TEXT. Optional text is '' rather than NULL so
-- that equality filters need no NULL handling.

-- +goose Up
CREATE TABLE customers (
    id          TEXT PRIMARY KEY,
    email       TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL DEFAULT '',
    external_id TEXT NOT NULL DEFAULT '',
    metadata    TEXT NOT NULL DEFAULT '{}',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE orders (
    id           TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL,
    vendor_id    TEXT NOT NULL DEFAULT '',
    currency     TEXT NOT NULL,
    status       TEXT NOT NULL,
    items        TEXT NOT NULL,
    total        BIGINT NOT NULL,
    void_reason  TEXT NOT NULL DEFAULT '',
    completed_at BIGINT,
    voided_at    BIGINT,
    metadata     TEXT NOT NULL DEFAULT '{}',
    revision     BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX orders_created ON orders (created_at DESC, id DESC);
CREATE INDEX orders_customer ON orders (customer_id, created_at DESC, id DESC);
CREATE INDEX orders_vendor ON orders (vendor_id, created_at DESC, id DESC);
CREATE INDEX orders_status ON orders (status, created_at DESC, id DESC);

CREATE TABLE lines (
    id             TEXT PRIMARY KEY,
    order_id       TEXT NOT NULL REFERENCES orders (id),
    item           BIGINT NOT NULL,
    panel          TEXT NOT NULL,
    external_id    TEXT NOT NULL,
    state          TEXT NOT NULL,
    pending_action TEXT NOT NULL DEFAULT '',
    revision       BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX lines_order ON lines (order_id, item);

CREATE TABLE transactions (
    id                 TEXT PRIMARY KEY,
    kind               TEXT NOT NULL,
    amount             BIGINT NOT NULL,
    currency           TEXT NOT NULL,
    order_id           TEXT NOT NULL DEFAULT '',
    customer_id        TEXT NOT NULL DEFAULT '',
    vendor_id          TEXT NOT NULL DEFAULT '',
    parent_id          TEXT NOT NULL DEFAULT '',
    dispute_id         TEXT NOT NULL DEFAULT '',
    provider           TEXT NOT NULL DEFAULT '',
    provider_reference TEXT NOT NULL DEFAULT '',
    arn                TEXT NOT NULL DEFAULT '',
    card_fingerprint   TEXT NOT NULL DEFAULT '',
    external           BOOLEAN NOT NULL DEFAULT FALSE,
    reason             TEXT NOT NULL DEFAULT '',
    amount_refunded    BIGINT NOT NULL DEFAULT 0,
    amount_withdrawn   BIGINT NOT NULL DEFAULT 0,
    amount_captured    BIGINT NOT NULL DEFAULT 0,
    voided             BOOLEAN NOT NULL DEFAULT FALSE,
    created_at         BIGINT NOT NULL,
    -- updated_at moves when the running amounts do.
    updated_at         BIGINT NOT NULL
);
CREATE INDEX transactions_order ON transactions (order_id, created_at, id);
CREATE INDEX transactions_parent ON transactions (parent_id, created_at, id);
CREATE INDEX transactions_reference ON transactions (provider_reference, provider);
CREATE INDEX transactions_arn ON transactions (arn);

CREATE TABLE disputes (
    id                  TEXT PRIMARY KEY,
    type                TEXT NOT NULL,
    alert_type          TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL,
    stage               TEXT NOT NULL DEFAULT '',
    reason              TEXT NOT NULL DEFAULT '',
    network_reason_code TEXT NOT NULL DEFAULT '',
    description         TEXT NOT NULL DEFAULT '',
    amount              BIGINT NOT NULL,
    currency            TEXT NOT NULL,
    order_id            TEXT NOT NULL DEFAULT '',
    transaction_id      TEXT NOT NULL DEFAULT '',
    customer_id         TEXT NOT NULL DEFAULT '',
    vendor_id           TEXT NOT NULL DEFAULT '',
    initiated_by        TEXT NOT NULL DEFAULT '',
    provider            TEXT NOT NULL DEFAULT '',
    provider_dispute_id TEXT NOT NULL DEFAULT '',
    case_number         TEXT NOT NULL DEFAULT '',
    arn                 TEXT NOT NULL DEFAULT '',
    external_reference  TEXT NOT NULL DEFAULT '',
    happened_at         BIGINT,
    due_by              BIGINT,
    evidence            TEXT NOT NULL DEFAULT '{}',
    evidence_items      BIGINT NOT NULL DEFAULT 0,
    submission_count    BIGINT NOT NULL DEFAULT 0,
    resolution          TEXT NOT NULL DEFAULT '',
    resolution_notes    TEXT NOT NULL DEFAULT '',
    resolved_by         TEXT NOT NULL DEFAULT '',
    resolved_at         BIGINT,
    revision            BIGINT NOT NULL,
    tags                TEXT NOT NULL DEFAULT '[]',
    metadata            TEXT NOT NULL DEFAULT '{}',
    livemode            BOOLEAN NOT NULL DEFAULT FALSE,
    -- is_open is derived from status by the store; the index below needs it as a column.
    is_open             BOOLEAN NOT NULL,
    -- search is the lower-cased text the q filter matches, lowered in Go so that both databases
    -- fold case the same way, beyond ASCII too.
    search              TEXT NOT NULL DEFAULT '',
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
-- An order has at most one open dispute; disputes on no order are not limited.
CREATE UNIQUE INDEX disputes_one_open_per_order ON disputes (order_id) WHERE is_open AND order_id <> '';
CREATE INDEX disputes_created ON disputes (created_at DESC, id DESC);
CREATE INDEX disputes_status ON disputes (status, created_at DESC, id DESC);
CREATE INDEX disputes_order ON disputes (order_id);
CREATE INDEX disputes_transaction ON disputes (transaction_id);
CREATE INDEX disputes_customer ON disputes (customer_id, created_at DESC, id DESC);
CREATE INDEX disputes_vendor ON disputes (vendor_id, created_at DESC, id DESC);
CREATE INDEX disputes_due_by ON disputes (due_by) WHERE due_by IS NOT NULL;

-- dispute_tags mirrors disputes.tags (which keeps the order) so that the tag filter can use an index.
CREATE TABLE dispute_tags (
    dispute_id TEXT NOT NULL REFERENCES disputes (id),
    tag        TEXT NOT NULL,
    PRIMARY KEY (dispute_id, tag)
);
CREATE INDEX dispute_tags_tag ON dispute_tags (tag, dispute_id);

CREATE TABLE evidence_items (
    id           TEXT PRIMARY KEY,
    dispute_id   TEXT NOT NULL REFERENCES disputes (id),
    type         TEXT NOT NULL,
    content      TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '',
    file_name    TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL DEFAULT '',
    size         BIGINT NOT NULL DEFAULT 0,
    added_by     TEXT NOT NULL DEFAULT '',
    party        TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL
);
CREATE INDEX evidence_items_dispute ON evidence_items (dispute_id, created_at, id);

-- evidence_files holds the bytes of the items that have a file, apart from the items so that
-- listing a dispute's evidence never reads through them.
CREATE TABLE evidence_files (
    item_id TEXT PRIMARY KEY REFERENCES evidence_items (id),
    data    BYTEA NOT NULL
);

CREATE TABLE timeline (
    id         TEXT PRIMARY KEY,
    dispute_id TEXT NOT NULL DEFAULT '',
    order_id   TEXT NOT NULL DEFAULT '',
    line_id    TEXT NOT NULL DEFAULT '',
    actor      TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    from_state TEXT NOT NULL DEFAULT '',
    to_state   TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX timeline_dispute ON timeline (dispute_id, created_at, id);
CREATE INDEX timeline_order ON timeline (order_id, created_at, id);

CREATE TABLE notes (
    id         TEXT PRIMARY KEY,
    dispute_id TEXT NOT NULL REFERENCES disputes (id),
    author     TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX notes_dispute ON notes (dispute_id, created_at, id);

CREATE TABLE events (
    id         TEXT PRIMARY KEY,
    type       TEXT NOT NULL,
    dispute_id TEXT NOT NULL DEFAULT '',
    order_id   TEXT NOT NULL DEFAULT '',
    data       TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX events_created ON events (created_at DESC, id DESC);
CREATE INDEX events_type ON events (type, created_at DESC, id DESC);
CREATE INDEX events_dispute ON events (dispute_id, created_at DESC, id DESC);
CREATE INDEX events_order ON events (order_id, created_at DESC, id DESC);

CREATE TABLE blocklist (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    value      TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    dispute_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (kind, value)
);
CREATE INDEX blocklist_created ON blocklist (created_at DESC, id DESC);

CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,
    role       TEXT NOT NULL,
    party_id   TEXT NOT NULL DEFAULT '',
    hash       TEXT NOT NULL UNIQUE,
    prefix     TEXT NOT NULL DEFAULT '',
    name       TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

CREATE TABLE idempotency_keys (
    key_id       TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL DEFAULT 0,
    -- body is NULL until the request finished.
    body         BYTEA,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (key_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- settings has exactly one row once saved; none means the defaults.
CREATE TABLE settings (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    block_on_dispute BOOLEAN NOT NULL,
    merchant_name    TEXT NOT NULL,
    updated_at       BIGINT NOT NULL
);

-- +goose Down
DROP TABLE settings;
DROP TABLE idempotency_keys;
DROP TABLE api_keys;
DROP TABLE blocklist;
DROP TABLE events;
DROP TABLE notes;
DROP TABLE timeline;
DROP TABLE evidence_files;
DROP TABLE evidence_items;
DROP TABLE dispute_tags;
DROP TABLE disputes;
DROP TABLE transactions;
DROP TABLE lines;
DROP TABLE orders;
DROP TABLE customers;
