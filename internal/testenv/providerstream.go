package testenv

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"disputed/internal/app"
	"disputed/internal/provider/generic"
)

// A stream of provider notifications as a merchant receives them: disputes from Stripe and from
// a generic alert feed through their lifecycles, about charges the test recorded. The replay
// test sends it again and again; cmd/disputed's crash test sends it through server crashes.

// StreamFeed is the generic feed's provider name, and StreamFeedSecret its webhook secret.
const (
	StreamFeed       = "alerts"
	StreamFeedSecret = "generic-feed-secret-0123456789"
)

// StreamProviders configures the stream's providers: Stripe (signed with StripeSecret) and the
// generic feed. Nothing is pushed back to Stripe: no API key.
func (e *Env) StreamProviders() {
	e.T.Helper()
	e.StripeProvider("", "")
	Must(e.App.CreateProvider(e.Ctx, Admin, app.ProviderParams{Name: StreamFeed, Type: "generic", WebhookSecret: StreamFeedSecret}))(e.T)
}

// Notification is one event as its provider sends it.
type Notification struct {
	Provider string // the provider's name in the webhook path
	ID       string // the provider's event id
	CaseID   string // the provider's dispute id it is about; "" for an event about no dispute
	Body     []byte
	Forged   bool // signed with a secret that is not the provider's
}

// Signed is where the notification goes and the signature header it is sent with at a moment,
// as name, value pairs: a provider signs every attempt anew. Provider webhooks carry no API key.
func (n Notification) Signed(at time.Time) (path string, headers []string) {
	path = "/v1/providers/" + n.Provider + "/webhook"
	secret := StreamFeedSecret
	if n.Provider == "stripe" {
		secret = StripeSecret
	}
	if n.Forged {
		secret = "whsec_forged_by_someone_else"
	}
	if n.Provider == "stripe" {
		return path, []string{"Stripe-Signature", StripeSignature(secret, at, n.Body)}
	}
	return path, []string{"X-Signature", generic.Sign(secret, at, n.Body)}
}

// Deliver sends the notification to c's server, signed at the clock's time, as its provider
// does.
func (e *Env) Deliver(c *Client, n Notification) Response {
	e.T.Helper()
	path, headers := n.Signed(e.Clock.Now())
	return c.As("").Do(http.MethodPost, path, n.Body, headers...)
}

// Receive hands the notification to the app, signed at the clock's time, as the webhook
// endpoint does.
func (e *Env) Receive(n Notification) (EventResult, error) {
	e.T.Helper()
	_, headers := n.Signed(e.Clock.Now())
	return e.Notify(n.Provider, headerOf(headers), n.Body)
}

// StreamCharge is a recorded charge a scenario disputes.
type StreamCharge struct {
	ID, Ref string // our id and the provider's reference
	OrderID string // the order it paid; "" for a charge not recorded
	Amount  int64  // USD cents
}

// StreamSale records a sale of USD 49.99 (customer, completed order, Stripe charge) for a
// scenario to dispute.
func (e *Env) StreamSale() StreamCharge {
	e.T.Helper()
	s := e.Sale(SaleParams{Amount: 4999})
	return StreamCharge{ID: s.Charge.ID, Ref: s.Charge.ProviderReference, OrderID: s.Order.ID, Amount: 4999}
}

// Stream builds the notifications, one scenario at a time. Each event happens a second after
// the one before it, so the events of a case are in the order the provider created them.
type Stream struct {
	start time.Time
	// DueSoon is the due date of the FeedChargebackDueSoon scenario's chargeback.
	DueSoon time.Time
	seq     int
	// Cases are the notifications of each case added, in the order added.
	Cases [][]Notification
}

// NewStream starts a stream whose events happen from start on.
func NewStream(start time.Time) *Stream { return &Stream{start: start, DueSoon: start.Add(time.Hour)} }

// Scenario is a case's events, in the order the provider sends them.
type Scenario func(st *Stream, c StreamCharge) []Notification

// Add appends a case of the scenario about the charge.
func (st *Stream) Add(sc Scenario, c StreamCharge) { st.Cases = append(st.Cases, sc(st, c)) }

// Events returns every notification, case after case.
func (st *Stream) Events() []Notification {
	var all []Notification
	for _, c := range st.Cases {
		all = append(all, c...)
	}
	return all
}

func (st *Stream) tick() time.Time {
	st.seq++
	return st.start.Add(time.Duration(st.seq) * time.Second)
}

// NewID is a new id of the stream with the prefix given.
func (st *Stream) NewID(prefix string) string {
	st.seq++
	return fmt.Sprintf("%s%06d", prefix, st.seq)
}

// The scenarios. Each needs a charge of its own (a charge has one open dispute at a time),
// except StripeUnknownCharge, StripeWarningUnknownCharge and StripeNotADispute, which ignore it.
var (
	// A Stripe chargeback whose funds are withdrawn, answered and won: the funds come back.
	StripeWon Scenario = func(st *Stream, c StreamCharge) []Notification {
		dp := st.NewID("dp_")
		return []Notification{st.StripeDispute("charge.dispute.created", "needs_response", dp, c),
			st.StripeDispute("charge.dispute.funds_withdrawn", "needs_response", dp, c),
			st.StripeDispute("charge.dispute.updated", "under_review", dp, c),
			st.StripeDispute("charge.dispute.closed", "won", dp, c),
			st.StripeDispute("charge.dispute.funds_reinstated", "won", dp, c)}
	}
	// A Stripe chargeback whose funds are withdrawn, answered, and lost.
	StripeLost Scenario = func(st *Stream, c StreamCharge) []Notification {
		dp := st.NewID("dp_")
		return []Notification{st.StripeDispute("charge.dispute.created", "needs_response", dp, c),
			st.StripeDispute("charge.dispute.funds_withdrawn", "needs_response", dp, c),
			st.StripeDispute("charge.dispute.updated", "under_review", dp, c),
			st.StripeDispute("charge.dispute.closed", "lost", dp, c)}
	}
	// A Stripe inquiry that closes without becoming a chargeback.
	StripeInquiry Scenario = func(st *Stream, c StreamCharge) []Notification {
		dp := st.NewID("dp_")
		return []Notification{st.StripeDispute("charge.dispute.created", "warning_needs_response", dp, c),
			st.StripeDispute("charge.dispute.updated", "warning_under_review", dp, c),
			st.StripeDispute("charge.dispute.closed", "warning_closed", dp, c)}
	}
	// An early fraud warning (an alert), then the chargeback that follows it and closes it.
	StripeWarningThenChargeback Scenario = func(st *Stream, c StreamCharge) []Notification {
		dp := st.NewID("dp_")
		return []Notification{st.StripeWarning("radar.early_fraud_warning.created", st.NewID("issfr_"), c),
			st.StripeDispute("charge.dispute.created", "needs_response", dp, c),
			st.StripeDispute("charge.dispute.updated", "under_review", dp, c)}
	}
	// An early fraud warning about a charge never recorded here: it names no amount, so there
	// is nothing to open; it is kept.
	StripeWarningUnknownCharge Scenario = func(st *Stream, _ StreamCharge) []Notification {
		return []Notification{st.StripeWarning("radar.early_fraud_warning.created", st.NewID("issfr_"),
			StreamCharge{Ref: st.NewID("ch_unknown_")})}
	}
	// A dispute on a charge never recorded here: it stays unmatched.
	StripeUnknownCharge Scenario = func(st *Stream, _ StreamCharge) []Notification {
		dp := st.NewID("dp_")
		c := StreamCharge{Ref: st.NewID("ch_unknown_"), Amount: 1500}
		return []Notification{st.StripeDispute("charge.dispute.created", "needs_response", dp, c),
			st.StripeDispute("charge.dispute.updated", "under_review", dp, c)}
	}
	// An event about no dispute, which the endpoint receives too.
	StripeNotADispute Scenario = func(st *Stream, _ StreamCharge) []Notification {
		id, at := st.NewID("evt_"), st.tick()
		return []Notification{st.stripeEvent(id, "", map[string]any{"id": id, "object": "event", "api_version": "2024-06-20",
			"created": at.Unix(), "type": "customer.created", "livemode": false, "pending_webhooks": 1,
			"data": map[string]any{"object": map[string]any{"id": st.NewID("cus_"), "object": "customer", "email": "new@example.com"}}})}
	}
	// A chargeback from the feed, answered and won.
	FeedChargebackWon Scenario = func(st *Stream, c StreamCharge) []Notification {
		cs := st.NewID("C-")
		due := st.start.Add(10 * 24 * time.Hour)
		return []Notification{st.FeedChargeback(cs, "needs_response", c, due),
			st.FeedChargeback(cs, "under_review", c, due), st.FeedChargeback(cs, "won", c, time.Time{})}
	}
	// A chargeback from the feed that nobody answers, due at DueSoon.
	FeedChargebackDueSoon Scenario = func(st *Stream, c StreamCharge) []Notification {
		return []Notification{st.FeedChargeback(st.NewID("C-"), "needs_response", c, st.DueSoon)}
	}
	// An Ethoca alert, which waits for the merchant.
	FeedEthoca Scenario = func(st *Stream, c StreamCharge) []Notification {
		return []Notification{st.FeedAlert("ethoca", c)}
	}
	// An RDR alert: the network refunded already, recorded as an external refund.
	FeedRDR Scenario = func(st *Stream, c StreamCharge) []Notification {
		return []Notification{st.FeedAlert("rdr", c)}
	}
)

// StripeDispute is a charge.dispute.* event about Stripe's dispute dp, as Stripe sends it (API
// version 2024-06-20).
func (st *Stream) StripeDispute(typ, status, dp string, c StreamCharge) Notification {
	at := st.tick()
	ev := StripeEvent(st.NewID("evt_"), typ, status, dp, c.Ref, at)
	obj := ev["data"].(map[string]any)["object"].(map[string]any)
	obj["amount"], obj["payment_intent"] = c.Amount, "pi_"+dp
	obj["evidence_details"].(map[string]any)["due_by"] = st.start.Add(9 * 24 * time.Hour).Unix()
	return st.stripeEvent(ev["id"].(string), dp, ev)
}

// StripeWarning is a radar.early_fraud_warning.* event about the warning issfr.
func (st *Stream) StripeWarning(typ, issfr string, c StreamCharge) Notification {
	id, at := st.NewID("evt_"), st.tick()
	return st.stripeEvent(id, issfr, map[string]any{"id": id, "object": "event", "api_version": "2024-06-20",
		"created": at.Unix(), "type": typ, "livemode": false, "pending_webhooks": 1,
		"request": map[string]any{"id": nil, "idempotency_key": nil},
		"data": map[string]any{"object": map[string]any{"id": issfr, "object": "radar.early_fraud_warning", "actionable": true,
			"charge": c.Ref, "created": at.Add(-time.Minute).Unix(), "fraud_type": "made_with_stolen_card", "livemode": false,
			"payment_intent": "pi_" + issfr}}})
}

func (st *Stream) stripeEvent(id, caseID string, ev map[string]any) Notification {
	return Notification{Provider: "stripe", ID: id, CaseID: caseID, Body: streamJSON(ev)}
}

// FeedChargeback is a chargeback object of the generic feed; a zero due date is left out.
func (st *Stream) FeedChargeback(caseNumber, status string, c StreamCharge, due time.Time) Notification {
	id := st.NewID("cb-")
	o := map[string]any{"id": id, "type": "chargeback", "status": status, "amount": c.Amount, "currency": "USD",
		"reason": "fraudulent", "network_reason_code": "10.4", "case_number": caseNumber, "transaction_reference": c.Ref,
		"happened_at": st.tick().Format(time.RFC3339)}
	if !due.IsZero() {
		o["due_by"] = due.UTC().Format(time.RFC3339)
	}
	return Notification{Provider: StreamFeed, ID: id, CaseID: caseNumber, Body: streamJSON(o)}
}

// FeedAlert is an alert of the generic feed, known by its ARN.
func (st *Stream) FeedAlert(alertType string, c StreamCharge) Notification {
	id, arn := st.NewID("alrt-"), st.NewID("7400000000000000")
	return Notification{Provider: StreamFeed, ID: id, CaseID: arn, Body: streamJSON(map[string]any{"id": id, "type": "alert",
		"alert_type": alertType, "amount": fmt.Sprintf("%d.%02d", c.Amount/100, c.Amount%100), "currency": "USD",
		"reason": "fraudulent", "arn": arn, "transaction_reference": c.ID, "happened_at": st.tick().Format(time.RFC3339)})}
}

func streamJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
