// Package provider is the contract between the server and the payment-provider adapters
// (stripe/, paypal/, generic/, one package each): a provider Type checks a configuration and
// builds its Adapter, which verifies and reads a notification into our terms (Event) and, when
// it is a Responder, pushes the merchant's answer back. The server's main registers the types
// (Registry), and the use cases (internal/app) know no concrete adapter. The adapters only parse,
// verify and call their provider's API; what an event does to our disputes is decided in
// internal/app.
package provider

import (
	"context"
	"errors"
	"net/http"
	"time"

	"disputed/internal/dispute"
)

// ErrSignature means a notification's signature is missing, malformed, stale or wrong: the
// request is refused (401) and nothing is stored.
var ErrSignature = errors.New("invalid signature")

// ErrPayload means a verified notification could not be read (400); nothing is stored.
var ErrPayload = errors.New("invalid payload")

// ErrPermanent is wrapped (errors.Is) by a Responder's error when sending the same call again
// cannot succeed: the request was refused for what it says, or cannot be sent at all. Any other
// error is taken as passing, and the push is retried.
var ErrPermanent = errors.New("permanent provider error")

type idempotencyKeyCtx struct{}

// WithIdempotencyKey returns a context under which a Responder that sends idempotency keys
// (Stripe's Idempotency-Key) sends key instead of the key it derives from its arguments. The
// caller passes an id of the attempt to send (a job id, stable across that job's retries, and
// the content sent): a derived key would have the provider replay its first answer to content
// that was staged, changed and staged again.
func WithIdempotencyKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, idempotencyKeyCtx{}, key)
}

// IdempotencyKey returns the key WithIdempotencyKey put in ctx.
func IdempotencyKey(ctx context.Context) (string, bool) {
	key, ok := ctx.Value(idempotencyKeyCtx{}).(string)
	return key, ok
}

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

// Parser reads one event's payload, as Receive returned it.
type Parser interface {
	// Parse returns the event; an error wrapping ErrPayload when the payload cannot be read. An
	// event of a type we do not handle has a nil Dispute, Refund and Charge.
	Parse(body []byte) (Event, error)
}

// Responder pushes the merchant's answer to a dispute back to the provider.
type Responder interface {
	// SendEvidence sends evidence (our field names, as in api.md) and its files; submit makes
	// it final.
	SendEvidence(ctx context.Context, providerDisputeID string, evidence Evidence, submit bool) error
	// Concede accepts the dispute: the merchant does not contest it.
	Concede(ctx context.Context, providerDisputeID string) error
}

// DocumentTaker is a Responder that takes evidence as documents rather than fields (PayPal): a
// submission sends it the packet, the evidence as one PDF headed by the cover letter.
type DocumentTaker interface {
	TakesDocuments() bool
}

// Refunder gives money of a charge back to the buyer through the provider (Stripe's refunds,
// PayPal's capture refunds). A provider that is not one (the generic feed) cannot refund: the
// refund is then made where the money is and recorded as external.
type Refunder interface {
	// Refund refunds r.Amount of the charge and returns the provider's id of the refund. The
	// caller's idempotency key (WithIdempotencyKey), stable across the retries of one refund,
	// makes the provider answer a repeat with the first refund instead of making a second one.
	// An error wrapping ErrPermanent means the provider refused it for good.
	Refund(ctx context.Context, r Refund) (string, error)
}

// Refund is a refund to ask of a provider.
type Refund struct {
	// Charge is the provider's id of the payment (Stripe ch_… or py_…, PayPal's capture id);
	// PaymentIntent, Stripe's pi_…, is used when the charge's id is not known.
	Charge        string
	PaymentIntent string
	Amount        int64  // minor units of Currency, positive
	Currency      string // ISO 4217, upper case
	// Note says why, for the provider's records (PayPal's note_to_payer, Stripe's metadata).
	Note string
}

// Evidence is what a push sends: the staged fields, and the files staged under file fields.
type Evidence struct {
	// Fields are the text fields, and file fields naming a file the provider already holds.
	Fields map[string]string
	// Files are the files to send, by the file field they are staged under
	// (dispute.FileEvidenceFields).
	Files map[string]File
	// Packet is the whole evidence as one PDF (the cover letter, then each exhibit, files
	// included), for a provider that takes documents rather than fields; nil when none was made.
	Packet *File
	// VisaCE3 is Visa Compelling Evidence 3.0 for a Visa 10.4 dispute that qualifies; nil
	// otherwise. Stripe takes it as the dispute's enhanced evidence; a provider without such a
	// field leaves it out.
	VisaCE3 *VisaCE3
}

// VisaCE3 is the disputed charge and the two earlier undisputed charges on the same card that
// match it (see internal/ce3).
type VisaCE3 struct {
	MerchandiseOrServices string // "merchandise" or "services"
	Disputed              CE3Transaction
	Prior                 []CE3Transaction // exactly two
}

// CE3Transaction is one charge's data elements. Empty values are not sent.
type CE3Transaction struct {
	Charge             string // the provider's charge id; prior charges only
	CustomerAccountID  string
	CustomerDeviceID   string
	CustomerEmail      string
	CustomerPurchaseIP string
	ProductDescription string
	ShippingAddress    *Address // all parts present, as Visa asks, or nil
}

// Address is a postal address in Stripe's parts; Country is ISO 3166-1 alpha-2.
type Address struct {
	Line1, Line2, City, State, PostalCode, Country string
}

// File is an evidence file sent to a provider, with its name and its sniffed content type.
type File struct {
	Name        string
	ContentType string
	Data        []byte
}

// Event is one notification, read into our terms.
type Event struct {
	ID      string    // the provider's event id: a replay carries the same one
	Type    string    // the provider's event type, e.g. "charge.dispute.created"
	Created time.Time // when the provider created it; orders the events about one dispute
	Dispute *Dispute  // what the event says about a dispute or alert; nil when it says nothing we handle
	// Refund is the refund of a payment the event reports (Stripe's refund.created), made
	// through us or elsewhere (the provider's dashboard); nil when it reports none.
	Refund *RefundReport
	// Charge is the payment the event reports (Stripe's charge.succeeded, PayPal's
	// PAYMENT.CAPTURE.COMPLETED, the generic feed's transaction); nil when it reports none.
	Charge *ChargeReport
	// Payload is the event as the provider sent it: the whole body of a notification that
	// carries one event, this event's part of one that carries several. It is kept with the
	// event, and is what the inbox holds until the event is applied.
	Payload []byte
}

// Object is the provider's object the event is about: the dispute's case id, the charge a
// refund or a charge report names. Events about one object are applied in the order they
// arrived; events about different objects in any order. "" when the event says nothing we
// handle.
func (e *Event) Object() string {
	switch {
	case e.Dispute != nil:
		if e.Dispute.ProviderDisputeID != "" {
			return "dispute:" + e.Dispute.ProviderDisputeID
		}
		return "dispute:" + e.Dispute.ChargeReference
	case e.Charge != nil:
		return "charge:" + e.Charge.ID
	case e.Refund != nil:
		// A refund is ordered with its charge, so that it is never applied before it.
		if e.Refund.ChargeReference != "" {
			return "charge:" + e.Refund.ChargeReference
		}
		return "payment:" + e.Refund.PaymentReference
	}
	return ""
}

// ChargeReport is a payment as the provider reports it: a card charge, a PayPal capture, a
// generic feed's transaction. Zero values mean "not said".
type ChargeReport struct {
	ID string // the provider's id of the payment (Stripe ch_…/py_…, PayPal's capture id): our transaction's provider_reference
	// PaymentReference is a second id of the payment (Stripe's payment_intent).
	PaymentReference string
	Amount           int64  // minor units of Currency, positive
	Currency         string // ISO 4217, upper case
	// Status is the provider's (Stripe: succeeded, pending, failed; PayPal: COMPLETED, ...);
	// Made says whether the money was taken: only a payment made is recorded.
	Status string
	Made   bool
	// Captured is false for an authorization not captured yet (Stripe's captured=false).
	Captured    bool
	CardNetwork string // visa, mastercard, amex, discover, ... ("" when not a card)
	Last4       string
	Fingerprint string // the provider's fingerprint of the card: the same card gives the same one
	Channel     string // card_present or card_not_present; "" when not said
	// CustomerEmail and CustomerReference (Stripe cus_…, PayPal's payer_id) name the buyer.
	CustomerEmail     string
	CustomerReference string
	// Metadata is the merchant's metadata on the payment; the order it is for is named under
	// the key the merchant configured (e.g. order_id).
	Metadata  map[string]string
	Created   time.Time
	Livemode  bool
	IPAddress string // the buyer's IP when the provider says
	// Refunds are the refunds the payment lists with it (Stripe's charge.refunded carries the
	// charge with its refunds): each is applied as a refund report of its own, after the payment.
	Refunds []RefundReport
}

// RefundReport is a refund as the provider reports it.
type RefundReport struct {
	ID string // the provider's id of the refund (Stripe re_…): our refund's provider_reference
	// ChargeReference and PaymentReference are the provider's ids of the payment refunded, as
	// for Dispute.
	ChargeReference  string
	PaymentReference string
	Amount           int64  // minor units of Currency, positive
	Currency         string // ISO 4217, upper case
	// Status is the provider's (Stripe: pending, succeeded, failed, canceled, requires_action);
	// Made says whether the money is on its way back to the buyer.
	Status string
	Made   bool
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
	// Channel is where the case is argued when the provider says so (PayPal's dispute_channel);
	// "" for the type's own.
	Channel dispute.Channel
	// SellerProtection is the provider's seller protection for the payment, when it says.
	SellerProtection dispute.SellerProtection
	// Network is the card network or provider the dispute is on, when the provider says
	// (Stripe's card brand): visa, mastercard, amex, discover, paypal, ...
	Network  string
	Livemode bool
}
