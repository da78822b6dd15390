-- What customers did with the services lines sold (sign-ins, streams, downloads, API calls), as
-- the merchant's system or the line's panel reported it: the access log that wins "fraudulent"
-- and "not received" disputes over digital services. Portable like 00001.

-- +goose Up
CREATE TABLE line_activity (
    id         TEXT PRIMARY KEY,
    line_id    TEXT NOT NULL REFERENCES lines (id),
    order_id   TEXT NOT NULL, -- the line's, so that an order's whole log is read through one index
    kind       TEXT NOT NULL,
    ip         TEXT NOT NULL, -- canonical form, '' when not reported
    at         BIGINT NOT NULL,
    detail     TEXT NOT NULL,
    source     TEXT NOT NULL, -- api | panel
    -- hex SHA-256 of kind, at, ip and detail (order.Activity.Key): the same entry reported again
    -- (a panel sends its whole log on every dispute) is kept once. A hash, because detail may be
    -- longer than an index entry may be.
    dedup_key  TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX line_activity_key ON line_activity (line_id, dedup_key);
CREATE INDEX line_activity_line_at ON line_activity (line_id, at DESC, id DESC);
CREATE INDEX line_activity_order_at ON line_activity (order_id, at DESC, id DESC);

-- +goose Down
DROP TABLE line_activity;
