-- How the card met the merchant (order.Channel): card_present, card_not_present, or '' when not
-- said (counted as card-not-present). Visa's VAMP ratio divides by the month's Visa
-- card-not-present sales and Mastercard's ECM by the previous month's Mastercard sales.
--
-- sales_days counts the sales (charges and captures) per UTC day (created_at / 86400000), card
-- network and channel, kept by the store in the transaction that inserts each sale (a
-- transaction's kind, time, network and channel never change). Counting a month of a million
-- sales from an index instead costs about a second on SQLite, against 200 ms allowed; the
-- counter costs each sale one upsert (BENCHMARKS.md). Each day, network and channel is counted in
-- 8 rows (shard, from the transaction's id), so that concurrent sales on PostgreSQL do not all
-- wait for one row's lock until their commit. Rows already there are counted here, in shard 0.
-- disputes_monitored answers "the disputes of a month by what classifies them" from the index
-- alone. Portable like 00001.

-- +goose Up
ALTER TABLE transactions ADD COLUMN channel TEXT NOT NULL DEFAULT '';
CREATE TABLE sales_days (
    day          BIGINT NOT NULL,
    card_network TEXT NOT NULL,
    channel      TEXT NOT NULL,
    shard        BIGINT NOT NULL,
    n            BIGINT NOT NULL,
    PRIMARY KEY (day, card_network, channel, shard)
);
INSERT INTO sales_days (day, card_network, channel, shard, n)
SELECT created_at / 86400000, card_network, channel, 0, COUNT(*)
FROM transactions WHERE kind IN ('charge', 'capture')
GROUP BY created_at / 86400000, card_network, channel;
CREATE INDEX disputes_monitored ON disputes (happened_at, type, stage, alert_type, network, channel,
    network_reason_code, reason);

-- +goose Down
DROP INDEX disputes_monitored;
DROP TABLE sales_days;
ALTER TABLE transactions DROP COLUMN channel;
