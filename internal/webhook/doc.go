// Package webhook holds the pure parts of outgoing webhooks: endpoint secrets and the checks on
// an endpoint's URL and event list, the Standard Webhooks signature, one delivery attempt over
// HTTP, and the retry schedule.
//
// It keeps no state and touches no database: the store keeps endpoints and attempts, the outbox
// writes one delivery per endpoint in the transaction that makes the change, and a job calls
// Deliver, records the Attempt and, unless Permanent says retrying cannot help, tries again after
// Schedule(n) until MaxAttempts.
//
// Deliveries follow https://www.standardwebhooks.com so that receivers can verify them with any
// of the published libraries: the headers webhook-id, webhook-timestamp and webhook-signature,
// the signature an HMAC-SHA256 over "id.timestamp.body" keyed with the endpoint's secret.
package webhook
