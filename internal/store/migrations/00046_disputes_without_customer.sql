-- The disputes that carry no customer of their own, by order. A dispute's customer is its own,
-- else its order's (as the admin UI's list shows it), and the admin UI's search reads the
-- disputes of a customer's orders through this index: on PostgreSQL the whole order index had
-- a row to fetch and drop for each of a customer's own disputes. Portable like 00001.

-- +goose Up
CREATE INDEX disputes_order_without_customer ON disputes (order_id) WHERE customer_id = '';

-- +goose Down
DROP INDEX disputes_order_without_customer;
