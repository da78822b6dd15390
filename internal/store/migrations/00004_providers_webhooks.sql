-- Payment providers and the events they sent; outgoing webhook endpoints, their deliveries (the
-- outbox) and every attempt. Portable like 00001: TEXT ids, BIGINT unix-millisecond times (NULL
-- when there is none), JSON kept as TEXT, '' rather than NULL for optional text.

-- +goose Up
CREATE TABLE providers (
    name           TEXT PRIMARY KEY,
    type           TEXT NOT NULL,
    -- Secrets are kept because verifying and calling the provider needs them, sealed by the
    -- store since 00011 (so are the webhook endpoints' below). The API never shows them.
    webhook_secret TEXT NOT NULL DEFAULT '',
    api_key        TEXT NOT NULL DEFAULT '',
    api_base       TEXT NOT NULL DEFAULT '',
    webhook_id     TEXT NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);

-- Every event a provider sent that passed its signature check, with the raw payload. The
-- primary key makes a replay a no-op.
CREATE TABLE provider_events (
    provider    TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    type        TEXT NOT NULL,
    dispute_id  TEXT NOT NULL DEFAULT '',
    -- happened_at is when the provider created the event (NULL when it does not say); the
    -- newest applied one per dispute keeps older ones arriving late from undoing it.
    happened_at BIGINT,
    received_at BIGINT NOT NULL,
    applied     BOOLEAN NOT NULL,
    outcome     TEXT NOT NULL DEFAULT '',
    payload     TEXT NOT NULL,
    PRIMARY KEY (provider, event_id)
);
CREATE INDEX provider_events_dispute ON provider_events (dispute_id, happened_at);

-- A provider's case is one dispute: two deliveries of its first event racing each other cannot
-- open it twice.
CREATE UNIQUE INDEX disputes_provider_case ON disputes (provider, provider_dispute_id)
    WHERE provider_dispute_id <> '';

-- The raw payload behind a timeline entry (a provider event), '' for none.
ALTER TABLE timeline ADD COLUMN payload TEXT NOT NULL DEFAULT '';

CREATE TABLE webhook_endpoints (
    id               TEXT PRIMARY KEY,
    url              TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    -- events is a JSON array of event types, or ["*"].
    events           TEXT NOT NULL,
    secret           TEXT NOT NULL,
    -- After a rotation the previous secret signs too, until previous_until, so that receivers
    -- can switch without losing deliveries.
    previous_secret  TEXT NOT NULL DEFAULT '',
    previous_until   BIGINT,
    enabled          BOOLEAN NOT NULL,
    disabled_reason  TEXT NOT NULL DEFAULT '',
    failure_streak   BIGINT NOT NULL DEFAULT 0,
    disable_after    BIGINT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX webhook_endpoints_created ON webhook_endpoints (created_at DESC, id DESC);

-- The outbox: one row per event and endpoint, written in the transaction that wrote the event.
CREATE TABLE webhook_deliveries (
    id           TEXT PRIMARY KEY,
    endpoint_id  TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    event_type   TEXT NOT NULL,
    -- pending (a job will try), delivered, failed (given up, or the endpoint is gone)
    state        TEXT NOT NULL,
    attempts     BIGINT NOT NULL DEFAULT 0,
    last_status  BIGINT NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    delivered_at BIGINT
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);

CREATE TABLE webhook_attempts (
    id          TEXT PRIMARY KEY,
    delivery_id TEXT NOT NULL,
    status      BIGINT NOT NULL DEFAULT 0,
    latency_ms  BIGINT NOT NULL DEFAULT 0,
    response    TEXT NOT NULL DEFAULT '',
    error       TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, created_at, id);

-- +goose Down
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
ALTER TABLE timeline DROP COLUMN payload;
DROP INDEX disputes_provider_case;
DROP TABLE provider_events;
DROP TABLE providers;
