-- name: DecidedDisputeCounts :many
-- The won and lost disputes by what classifies them (reasoncode.Classify), read from the
-- disputes_decided index alone.
SELECT status, livemode, network, channel, network_reason_code, reason, COUNT(*) AS n
FROM disputes
WHERE status IN ('won', 'lost')
GROUP BY status, livemode, network, channel, network_reason_code, reason;
