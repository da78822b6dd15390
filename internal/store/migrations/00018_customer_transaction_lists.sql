-- The lists of customers and transactions (GET /v1/customers, GET /v1/transactions) are read
-- newest first, a page at a time, through an index of their first filter: each index ends with
-- (created_at, id) so that a page's start is a range of it and no sort is needed. Portable like
-- 00001.

-- +goose Up
CREATE INDEX customers_created ON customers (created_at, id);
CREATE INDEX customers_email ON customers (email, created_at, id);
CREATE INDEX customers_external ON customers (external_id, created_at, id);
CREATE INDEX transactions_created ON transactions (created_at, id);
CREATE INDEX transactions_customer ON transactions (customer_id, created_at, id);
CREATE INDEX transactions_vendor ON transactions (vendor_id, created_at, id);

-- +goose Down
DROP INDEX transactions_vendor;
DROP INDEX transactions_customer;
DROP INDEX transactions_created;
DROP INDEX customers_external;
DROP INDEX customers_email;
DROP INDEX customers_created;
