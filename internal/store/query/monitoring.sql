-- name: SalesCounts :many
-- The charges and captures of the UTC days [from_day, to_day) per card network and channel,
-- summed from sales_days: a few rows a day.
SELECT card_network, channel, CAST(SUM(n) AS BIGINT) AS n
FROM sales_days
WHERE day >= @from_day AND day < @to_day
GROUP BY card_network, channel;

-- name: CountSales :exec
-- n more sales of a day, card network and channel, in the transaction that inserts them, in one
-- of the day's shards.
INSERT INTO sales_days (day, card_network, channel, shard, n)
VALUES (@day, @card_network, @channel, @shard, @n)
ON CONFLICT (day, card_network, channel, shard) DO UPDATE SET n = sales_days.n + excluded.n;

-- name: MonitoredDisputeCounts :many
-- The disputes of [from, to) a monitoring program may count, by what classifies them, read from
-- the disputes_monitored index alone.
SELECT type, stage, alert_type, network, channel, network_reason_code, reason, COUNT(*) AS n
FROM disputes
WHERE happened_at >= CAST(sqlc.arg('from_at') AS BIGINT) AND happened_at < CAST(sqlc.arg('to_at') AS BIGINT)
  AND (type = 'chargeback' AND stage <> 'inquiry' OR type = 'alert' AND alert_type IN ('tc40', 'safe'))
GROUP BY type, stage, alert_type, network, channel, network_reason_code, reason;

-- name: InsertMonitoringNotice :execrows
INSERT INTO monitoring_notices (month, network, program, level, created_at)
VALUES (@month, @network, @program, @level, @created_at)
ON CONFLICT DO NOTHING;

-- name: MonitoringNoticeSent :one
SELECT COUNT(*) FROM monitoring_notices
WHERE month = @month AND network = @network AND program = @program AND level = @level;
