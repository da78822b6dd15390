-- Visa Compelling Evidence 3.0 looks for a card's earlier charges. A charge recorded without its
-- card_fingerprint belongs to the card its order names (order.DisputeContext), so the order's
-- card_fingerprint is searched too; orders_card makes that a read of the card's orders, not of
-- every order. Portable like 00001.

-- +goose Up
CREATE INDEX orders_card ON orders (card_fingerprint);

-- +goose Down
DROP INDEX orders_card;
