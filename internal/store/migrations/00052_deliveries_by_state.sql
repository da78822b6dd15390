-- An endpoint's deliveries in one state, newest first (the API's and the Webhooks page's
-- ?state=): through webhook_deliveries_endpoint alone, a rare state (the failed ones of an
-- endpoint that mostly succeeds) was checked on every delivery of the endpoint. The price is an
-- entry moved on each delivery's change of state. Portable like 00001.

-- +goose Up
CREATE INDEX webhook_deliveries_state ON webhook_deliveries (endpoint_id, state, created_at DESC, id DESC);

-- +goose Down
DROP INDEX webhook_deliveries_state;
