package main

import (
	"encoding/json"
	"fmt"
	"time"

	"disputed/internal/hmacsig"
)

// A stream of provider notifications as a merchant receives them: disputes from Stripe and from
// a generic alert feed through their lifecycles, about charges the test recorded. The replay
// test sends it again and again; the crash test sends it through server crashes.

// streamFeed is the generic feed's provider name, and streamFeedSecret its webhook secret.
const (
	streamFeed       = "alerts"
	streamFeedSecret = "generic-feed-secret-0123456789"
)

// streamProviders configures the stream's providers on s: Stripe (signed with stripeSecret) and
// the generic feed. Nothing is pushed back to Stripe: no api_key.
func streamProviders(s *testServer) {
	s.t.Helper()
	want(s.t, s.post("/v1/providers", map[string]any{"name": "stripe", "type": "stripe", "webhook_secret": stripeSecret}), 201)
	want(s.t, s.post("/v1/providers", map[string]any{"name": streamFeed, "type": "generic", "webhook_secret": streamFeedSecret}), 201)
}

// notification is one event as its provider sends it.
type notification struct {
	provider string // the provider's name in the webhook path
	id       string // the provider's event id
	caseID   string // the provider's dispute id it is about; "" for an event about no dispute
	body     []byte
	forged   bool // signed with a secret that is not the provider's
}

// signed is where the notification goes and the headers it is sent with at a moment: a
// provider signs every attempt anew. Provider webhooks carry no API key.
func (n notification) signed(at time.Time) (path string, headers []string) {
	path = "/v1/providers/" + n.provider + "/webhook"
	header, secret := "X-Signature", streamFeedSecret
	if n.provider == "stripe" {
		header, secret = "Stripe-Signature", stripeSecret
	}
	if n.forged {
		secret = "whsec_forged_by_someone_else"
	}
	return path, []string{header, hmacsig.Sign(secret, at, n.body), "Authorization", ""}
}

// streamCharge is a recorded charge a scenario disputes.
type streamCharge struct {
	id, ref string // our id and the provider's reference
	amount  int64  // USD cents
}

// streamSale records a sale (customer, completed order, Stripe charge) for a scenario to dispute.
func (s *testServer) streamSale() streamCharge {
	s.t.Helper()
	_, ord, charge := s.sale(4999, "usd")
	return streamCharge{id: charge, ref: "ch_" + ord, amount: 4999}
}

// stream builds the notifications, one scenario at a time. Each event happens a second after
// the one before it, so the events of a case are in the order the provider created them.
type stream struct {
	start time.Time
	// dueSoon is the due date of the dueSoon scenario's chargeback: close enough for its
	// deadline to pass while the test runs.
	dueSoon time.Time
	seq     int
	cases   [][]notification
}

func newStream(start time.Time) *stream { return &stream{start: start, dueSoon: start.Add(time.Hour)} }

// scenario is a case's events, in the order the provider sends them.
type scenario func(st *stream, c streamCharge) []notification

// add appends a case of the scenario about the charge.
func (st *stream) add(sc scenario, c streamCharge) { st.cases = append(st.cases, sc(st, c)) }

// events returns every notification, case after case.
func (st *stream) events() []notification {
	var all []notification
	for _, c := range st.cases {
		all = append(all, c...)
	}
	return all
}

func (st *stream) tick() time.Time {
	st.seq++
	return st.start.Add(time.Duration(st.seq) * time.Second)
}

func (st *stream) newID(prefix string) string {
	st.seq++
	return fmt.Sprintf("%s%06d", prefix, st.seq)
}

// The scenarios. Each needs a charge of its own (a charge has one open dispute at a time),
// except stripeUnknownCharge, stripeWarningUnknownCharge and stripeNotADispute, which ignore it.
var (
	// A Stripe chargeback whose funds are withdrawn, answered and won: the funds come back.
	stripeWon scenario = func(st *stream, c streamCharge) []notification {
		dp := st.newID("dp_")
		return []notification{st.stripeDispute("charge.dispute.created", "needs_response", dp, c),
			st.stripeDispute("charge.dispute.funds_withdrawn", "needs_response", dp, c),
			st.stripeDispute("charge.dispute.updated", "under_review", dp, c),
			st.stripeDispute("charge.dispute.closed", "won", dp, c),
			st.stripeDispute("charge.dispute.funds_reinstated", "won", dp, c)}
	}
	// A Stripe chargeback whose funds are withdrawn, answered, and lost.
	stripeLost scenario = func(st *stream, c streamCharge) []notification {
		dp := st.newID("dp_")
		return []notification{st.stripeDispute("charge.dispute.created", "needs_response", dp, c),
			st.stripeDispute("charge.dispute.funds_withdrawn", "needs_response", dp, c),
			st.stripeDispute("charge.dispute.updated", "under_review", dp, c),
			st.stripeDispute("charge.dispute.closed", "lost", dp, c)}
	}
	// A Stripe inquiry that closes without becoming a chargeback.
	stripeInquiry scenario = func(st *stream, c streamCharge) []notification {
		dp := st.newID("dp_")
		return []notification{st.stripeDispute("charge.dispute.created", "warning_needs_response", dp, c),
			st.stripeDispute("charge.dispute.updated", "warning_under_review", dp, c),
			st.stripeDispute("charge.dispute.closed", "warning_closed", dp, c)}
	}
	// An early fraud warning (an alert), then the chargeback that follows it and closes it.
	stripeWarningThenChargeback scenario = func(st *stream, c streamCharge) []notification {
		dp := st.newID("dp_")
		return []notification{st.stripeWarning("radar.early_fraud_warning.created", st.newID("issfr_"), c),
			st.stripeDispute("charge.dispute.created", "needs_response", dp, c),
			st.stripeDispute("charge.dispute.updated", "under_review", dp, c)}
	}
	// An early fraud warning about a charge never recorded here: it names no amount, so there
	// is nothing to open; it is kept.
	stripeWarningUnknownCharge scenario = func(st *stream, _ streamCharge) []notification {
		return []notification{st.stripeWarning("radar.early_fraud_warning.created", st.newID("issfr_"),
			streamCharge{ref: st.newID("ch_unknown_")})}
	}
	// A dispute on a charge never recorded here: it stays unmatched.
	stripeUnknownCharge scenario = func(st *stream, _ streamCharge) []notification {
		dp := st.newID("dp_")
		c := streamCharge{ref: st.newID("ch_unknown_"), amount: 1500}
		return []notification{st.stripeDispute("charge.dispute.created", "needs_response", dp, c),
			st.stripeDispute("charge.dispute.updated", "under_review", dp, c)}
	}
	// An event about no dispute, which the endpoint receives too.
	stripeNotADispute scenario = func(st *stream, _ streamCharge) []notification {
		id, at := st.newID("evt_"), st.tick()
		return []notification{st.stripeEvent(id, "", map[string]any{"id": id, "object": "event", "api_version": "2024-06-20",
			"created": at.Unix(), "type": "customer.created", "livemode": false, "pending_webhooks": 1,
			"data": map[string]any{"object": map[string]any{"id": st.newID("cus_"), "object": "customer", "email": "new@example.com"}}})}
	}
	// A chargeback from the feed, answered and won.
	feedChargebackWon scenario = func(st *stream, c streamCharge) []notification {
		cs := st.newID("C-")
		due := st.start.Add(10 * 24 * time.Hour)
		return []notification{st.feedChargeback(cs, "needs_response", c, due),
			st.feedChargeback(cs, "under_review", c, due), st.feedChargeback(cs, "won", c, time.Time{})}
	}
	// A chargeback from the feed that nobody answers: its due date passes and it is lost.
	feedChargebackDueSoon scenario = func(st *stream, c streamCharge) []notification {
		return []notification{st.feedChargeback(st.newID("C-"), "needs_response", c, st.dueSoon)}
	}
	// An Ethoca alert, which waits for the merchant.
	feedEthoca scenario = func(st *stream, c streamCharge) []notification {
		return []notification{st.feedAlert("ethoca", c)}
	}
	// An RDR alert: the network refunded already, recorded as an external refund.
	feedRDR scenario = func(st *stream, c streamCharge) []notification {
		return []notification{st.feedAlert("rdr", c)}
	}
)

// stripeDispute is a charge.dispute.* event, as Stripe sends it (API version 2024-06-20).
func (st *stream) stripeDispute(typ, status, dp string, c streamCharge) notification {
	at := st.tick()
	ev := stripeEvent(st.newID("evt_"), typ, status, c.ref, at)
	obj := ev["data"].(map[string]any)["object"].(map[string]any)
	obj["id"], obj["amount"], obj["payment_intent"] = dp, c.amount, "pi_"+dp
	obj["evidence_details"].(map[string]any)["due_by"] = st.start.Add(9 * 24 * time.Hour).Unix()
	return st.stripeEvent(ev["id"].(string), dp, ev)
}

// stripeWarning is a radar.early_fraud_warning.* event about the warning issfr.
func (st *stream) stripeWarning(typ, issfr string, c streamCharge) notification {
	id, at := st.newID("evt_"), st.tick()
	return st.stripeEvent(id, issfr, map[string]any{"id": id, "object": "event", "api_version": "2024-06-20",
		"created": at.Unix(), "type": typ, "livemode": false, "pending_webhooks": 1,
		"request": map[string]any{"id": nil, "idempotency_key": nil},
		"data": map[string]any{"object": map[string]any{"id": issfr, "object": "radar.early_fraud_warning", "actionable": true,
			"charge": c.ref, "created": at.Add(-time.Minute).Unix(), "fraud_type": "made_with_stolen_card", "livemode": false,
			"payment_intent": "pi_" + issfr}}})
}

func (st *stream) stripeEvent(id, caseID string, ev map[string]any) notification {
	return notification{provider: "stripe", id: id, caseID: caseID, body: mustJSON(ev)}
}

// feedChargeback is a chargeback object of the generic feed; a zero due date is left out.
func (st *stream) feedChargeback(caseNumber, status string, c streamCharge, due time.Time) notification {
	id := st.newID("cb-")
	o := map[string]any{"id": id, "type": "chargeback", "status": status, "amount": c.amount, "currency": "USD",
		"reason": "fraudulent", "network_reason_code": "10.4", "case_number": caseNumber, "transaction_reference": c.ref,
		"happened_at": st.tick().Format(time.RFC3339)}
	if !due.IsZero() {
		o["due_by"] = due.UTC().Format(time.RFC3339)
	}
	return notification{provider: streamFeed, id: id, caseID: caseNumber, body: mustJSON(o)}
}

// feedAlert is an alert of the generic feed, known by its ARN.
func (st *stream) feedAlert(alertType string, c streamCharge) notification {
	id, arn := st.newID("alrt-"), st.newID("7400000000000000")
	return notification{provider: streamFeed, id: id, caseID: arn, body: mustJSON(map[string]any{"id": id, "type": "alert",
		"alert_type": alertType, "amount": fmt.Sprintf("%d.%02d", c.amount/100, c.amount%100), "currency": "USD",
		"reason": "fraudulent", "arn": arn, "transaction_reference": c.id, "happened_at": st.tick().Format(time.RFC3339)})}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
