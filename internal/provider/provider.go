// Package provider declares what the payment-provider adapters (stripe/, paypal/, generic/) give
// the rest of the server: a verified notification read into our terms (Event), and a way to push
// the merchant's answer back (Responder). The adapters only parse, verify and call their
// provider's API; what an event does to our disputes is decided in internal/app.
package provider

import (
	"context"
	"errors"
	"net/http"
	"time"

	"disputed/internal/dispute"
)

// Provider types.
const (
	TypeStripe  = "stripe"
	TypePayPal  = "paypal"
	TypeGeneric = "generic"
)

// ErrSignature means a notification's signature is missing, malformed, stale or wrong: the
// request is refused (401) and nothing is stored.
var ErrSignature = errors.New("invalid signature")

// ErrPayload means a verified notification could not be read (400); nothing is stored.
var ErrPayload = errors.New("invalid payload")

// Config is one configured provider. Secrets are kept as given.
type Config struct {
	Name string
	Type string
	// WebhookSecret verifies notifications. Several secrets separated by commas are all
	// accepted, so that a secret can be rotated without losing events.
	WebhookSecret string
	APIKey        string // for pushing answers back (Stripe secret key; PayPal "client_id:secret")
	APIBase       string // the provider's API; empty for the live default
	WebhookID     string // PayPal: the webhook's id, part of what PayPal signs
}

// Verifier checks that a notification comes from the provider.
type Verifier interface {
	// Verify returns an error wrapping ErrSignature when the request is not the provider's.
	Verify(ctx context.Context, header http.Header, body []byte, now time.Time) error
}

// Parser reads a verified notification.
type Parser interface {
	// Parse returns the event; an error wrapping ErrPayload when the body cannot be read. An
	// event of a type we do not handle has a nil Dispute.
	Parse(body []byte) (Event, error)
}

// Responder pushes the merchant's answer to a dispute back to the provider.
type Responder interface {
	// SendEvidence sends evidence (our field names, as in api.md); submit makes it final.
	SendEvidence(ctx context.Context, providerDisputeID string, evidence map[string]string, submit bool) error
	// Concede accepts the dispute: the merchant does not contest it.
	Concede(ctx context.Context, providerDisputeID string) error
}

// Event is one notification, read into our terms.
type Event struct {
	ID      string    // the provider's event id: a replay carries the same one
	Type    string    // the provider's event type, e.g. "charge.dispute.created"
	Created time.Time // when the provider created it; orders the events about one dispute
	Dispute *Dispute  // what the event says about a dispute or alert; nil when it says nothing we handle
}

// Dispute is a dispute or an alert as the provider reports it. Zero values mean "not said".
type Dispute struct {
	// ProviderDisputeID is the provider's id of the case (Stripe dp_…, PayPal PP-D-…, an early
	// fraud warning's issfr_…, the generic feed's case_number or, for alerts, its arn).
	ProviderDisputeID string
	Type              dispute.Type // chargeback, inquiry or alert
	AlertType         dispute.AlertType
	Status            dispute.Status // mapped to ours; "" when the event does not say
	Stage             dispute.Stage
	Reason            string // in Stripe's vocabulary (fraudulent, duplicate, product_not_received, …)
	NetworkReasonCode string
	Amount            int64  // minor units of Currency
	Currency          string // ISO 4217, upper case
	// ChargeReference is the provider's id of the disputed payment (Stripe ch_…, PayPal
	// seller_transaction_id, the generic feed's transaction_reference: our id or the provider
	// reference); PaymentReference a second one (Stripe's payment_intent).
	ChargeReference  string
	PaymentReference string
	ARN              string
	CaseNumber       string
	HappenedAt       time.Time
	DueBy            time.Time
	HasEvidence      bool
	PastDue          bool
	SubmissionCount  int
	FundsWithdrawn   bool // the event says the network took the disputed funds
	FundsReinstated  bool // the event says the funds came back
	// AmountRefunded is what the provider refunded the buyer on deciding against the merchant
	// (PayPal's dispute_outcome.amount_refunded), in minor units of Currency; 0 when not said.
	AmountRefunded int64
	Fees           []dispute.Fee     // what the provider charged (or gave back) for the dispute
	Evidence       map[string]string // the evidence the provider holds, by our (Stripe's) field names
	Livemode       bool
}
