-- name: SalesCounts :many
-- The charges and captures of [from, to) per card network and channel, read from the
-- transactions_monitored index alone.
SELECT card_network, channel, COUNT(*) AS n
FROM transactions
WHERE created_at >= @from_at AND created_at < @to_at AND kind IN ('charge', 'capture')
GROUP BY card_network, channel;

-- name: MonitoredDisputeCounts :many
-- The disputes of [from, to) a monitoring program may count, by what classifies them, read from
-- the disputes_monitored index alone.
SELECT type, stage, alert_type, network, channel, network_reason_code, reason, COUNT(*) AS n
FROM disputes
WHERE happened_at >= CAST(sqlc.arg('from_at') AS BIGINT) AND happened_at < CAST(sqlc.arg('to_at') AS BIGINT)
  AND (type = 'chargeback' AND stage <> 'inquiry' OR type = 'alert' AND alert_type IN ('tc40', 'safe'))
GROUP BY type, stage, alert_type, network, channel, network_reason_code, reason;

-- name: InsertMonitoringNotice :execrows
INSERT INTO monitoring_notices (month, network, program, level, event_id, created_at)
VALUES (@month, @network, @program, @level, @event_id, @created_at)
ON CONFLICT DO NOTHING;

-- name: MonitoringNoticeSent :one
SELECT COUNT(*) FROM monitoring_notices
WHERE month = @month AND network = @network AND program = @program AND level = @level;
