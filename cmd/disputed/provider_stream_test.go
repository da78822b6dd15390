package main

import (
	"time"

	"disputed/internal/testenv"
)

// The stream of provider notifications the crash test and TestConcurrentProviderEvents send:
// internal/testenv's (providerstream.go), in the shape those tests use.

// streamFeed is the generic feed's provider name.
const streamFeed = testenv.StreamFeed

// streamProviders configures the stream's providers on s: Stripe (signed with stripeSecret) and
// the generic feed. Nothing is pushed back to Stripe: no api_key.
func streamProviders(s *testServer) {
	s.t.Helper()
	want(s.t, s.post("/v1/providers", map[string]any{"name": "stripe", "type": "stripe", "webhook_secret": stripeSecret}), 201)
	want(s.t, s.post("/v1/providers", map[string]any{"name": streamFeed, "type": "generic", "webhook_secret": testenv.StreamFeedSecret}), 201)
}

// notification is one event as its provider sends it.
type notification struct {
	provider string // the provider's name in the webhook path
	id       string // the provider's event id
	caseID   string // the provider's dispute id it is about; "" for an event about no dispute
	body     []byte
	forged   bool // signed with a secret that is not the provider's
}

func notificationOf(n testenv.Notification) notification {
	return notification{provider: n.Provider, id: n.ID, caseID: n.CaseID, body: n.Body, forged: n.Forged}
}

// signed is where the notification goes and the headers it is sent with at a moment: a
// provider signs every attempt anew. Provider webhooks carry no API key.
func (n notification) signed(at time.Time) (path string, headers []string) {
	path, headers = testenv.Notification{Provider: n.provider, Body: n.body, Forged: n.forged}.Signed(at)
	return path, append(headers, "Authorization", "")
}

// streamCharge is a recorded charge a scenario disputes.
type streamCharge struct {
	id, ref string // our id and the provider's reference
	amount  int64  // USD cents
}

func (c streamCharge) charge() testenv.StreamCharge {
	return testenv.StreamCharge{ID: c.id, Ref: c.ref, Amount: c.amount}
}

// streamSale records a sale (customer, completed order, Stripe charge) for a scenario to dispute.
func (s *testServer) streamSale() streamCharge {
	s.t.Helper()
	_, ord, charge := s.sale(4999, "usd")
	return streamCharge{id: charge, ref: "ch_" + ord, amount: 4999}
}

// stream builds the notifications, one scenario at a time (testenv.Stream).
type stream struct {
	st *testenv.Stream
	// dueSoon is the due date of the feedChargebackDueSoon scenario's chargeback: close enough
	// for its deadline to pass while the test runs.
	dueSoon time.Time
	cases   [][]notification
}

func newStream(start time.Time) *stream {
	st := testenv.NewStream(start)
	return &stream{st: st, dueSoon: st.DueSoon}
}

// scenario is a case's events, in the order the provider sends them.
type scenario func(st *stream, c streamCharge) []notification

// scenarioOf is a testenv scenario in this shape.
func scenarioOf(sc testenv.Scenario) scenario {
	return func(st *stream, c streamCharge) []notification {
		st.st.DueSoon = st.dueSoon
		var out []notification
		for _, n := range sc(st.st, c.charge()) {
			out = append(out, notificationOf(n))
		}
		return out
	}
}

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

func (st *stream) newID(prefix string) string { return st.st.NewID(prefix) }

// stripeDispute is a charge.dispute.* event, as Stripe sends it (API version 2024-06-20).
func (st *stream) stripeDispute(typ, status, dp string, c streamCharge) notification {
	return notificationOf(st.st.StripeDispute(typ, status, dp, c.charge()))
}

// The scenarios (see testenv's).
var (
	stripeWon                   = scenarioOf(testenv.StripeWon)
	stripeLost                  = scenarioOf(testenv.StripeLost)
	stripeInquiry               = scenarioOf(testenv.StripeInquiry)
	stripeWarningThenChargeback = scenarioOf(testenv.StripeWarningThenChargeback)
	stripeWarningUnknownCharge  = scenarioOf(testenv.StripeWarningUnknownCharge)
	stripeUnknownCharge         = scenarioOf(testenv.StripeUnknownCharge)
	stripeNotADispute           = scenarioOf(testenv.StripeNotADispute)
	feedChargebackWon           = scenarioOf(testenv.FeedChargebackWon)
	feedChargebackDueSoon       = scenarioOf(testenv.FeedChargebackDueSoon)
	feedEthoca                  = scenarioOf(testenv.FeedEthoca)
	feedRDR                     = scenarioOf(testenv.FeedRDR)
)
