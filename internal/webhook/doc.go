// Package webhook is outgoing webhooks: endpoints, signing, delivery.
//
// Its pure parts keep no state and touch no database: endpoint secrets and the checks on an
// endpoint's URL, event list and settings, the Standard Webhooks signature, one delivery attempt
// over HTTP (Deliver), and the retry schedule.
//
// Around them, Enqueue is the outbox: the use case that writes an event calls it in the same
// transaction, and it writes one delivery per subscribed endpoint with the job that sends it.
// Service holds the rest: the administration of endpoints and deliveries (admins only), and the
// delivery job (JobKind), which calls Deliver outside any transaction, records the Attempt and,
// unless Permanent says retrying cannot help, tries again after Schedule(n) until MaxAttempts.
//
// Deliveries follow https://www.standardwebhooks.com so that receivers can verify them with any
// of the published libraries: the headers webhook-id, webhook-timestamp and webhook-signature,
// the signature an HMAC-SHA256 over "id.timestamp.body" keyed with the endpoint's secret.
package webhook
