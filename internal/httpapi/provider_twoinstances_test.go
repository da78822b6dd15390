package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"disputed/internal/httpapi"
	"disputed/internal/password"
	"disputed/internal/server"
	"disputed/internal/testenv"
)

// What bench/ingest measures at scale (two instances draining one inbox), this checks in every
// run, small: the whole process on PostgreSQL is cmd/disputed's.

// TestTwoInstancesShareTheInboxOnPostgreSQL runs two whole servers, each with its own
// connection pool and its appliers running, on one PostgreSQL database (every event left to the
// appliers, DeferApplying: none is applied in the request that brought it, so that the two
// instances' appliers alone share the inbox, drain it side by side), and sends Stripe's
// events to both at once, alternating instances from one event to the next: charges, refunds of
// some of them, and disputes of others through their lifecycles (created, updated, closed). Each
// object's events are sent in the provider's order, the next once the one before is
// acknowledged, so that the inbox holds them in that order. Once the inbox is drained, every
// event was applied exactly once (one provider_event timeline entry per dispute event, one
// transaction per charge and per refund, refunds counted once on their charge, one dispute and
// one dispute.created per case) and in its object's order (no refund before its charge, no
// dispute event applied after a newer one of its dispute: every case ends as it was closed).
func TestTwoInstancesShareTheInboxOnPostgreSQL(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "postgres", testenv.Options{DeferApplying: true})
	e.StripeProvider("", "")
	a := e.Serve().Deferred() // the served client would apply the inbox itself: here the appliers do
	b := secondInstance(t, e)
	for _, s := range []*server.Server{e.Server, b.server} {
		appliers := s.App.InboxApplier()
		if err := appliers.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(appliers.Stop) // before the servers close and the stores with them
	}

	st := newTwoInstanceStream(e.Clock.Now())
	began := time.Now()
	sent := st.send(t, [2]*testenv.Client{a, b.client}, 8, e.Clock)
	drained := waitInboxDrained(t, a, sent, 15*time.Second)
	t.Logf("%d events sent to two instances and applied in %v", sent, time.Since(began).Round(time.Millisecond))

	// Each event applied once, in its object's order.
	byEvent := map[string]httpapi.ProviderEvent{}
	for _, ev := range drained {
		if _, twice := byEvent[ev.EventID]; twice {
			t.Fatalf("event %s stored twice", ev.EventID)
		}
		byEvent[ev.EventID] = ev
	}
	for _, c := range st.charges {
		if ev := byEvent[c.event]; !strings.HasPrefix(wireText(ev.Outcome), "charge "+c.id+" recorded as txn_") {
			t.Errorf("charge %s: %s", c.id, webhookJSON(ev))
		}
		txns := webhookRead[httpapi.List[httpapi.Transaction]](a, "/v1/transactions?provider_reference="+c.id).Data
		if len(txns) != 1 || txns[0].Type != "charge" {
			t.Errorf("charge %s recorded as %d transactions: %s", c.id, len(txns), webhookJSON(txns))
			continue
		}
		refunded := int64(0)
		if c.refund != "" {
			refunded = c.amount / 2
			if ev := byEvent[c.refundEvent]; !strings.HasPrefix(wireText(ev.Outcome), "refund "+c.refund+" recorded as txn_") {
				t.Errorf("refund %s of %s: %s", c.refund, c.id, webhookJSON(ev))
			}
			if refunds := webhookRead[httpapi.List[httpapi.Transaction]](a, "/v1/transactions?provider_reference="+c.refund).Data; len(refunds) != 1 {
				t.Errorf("refund %s recorded as %d transactions: %s", c.refund, len(refunds), webhookJSON(refunds))
			}
		}
		if txns[0].AmountRefunded != refunded {
			t.Errorf("charge %s: %d refunded, want %d", c.id, txns[0].AmountRefunded, refunded)
		}
	}
	disputes := map[string]bool{}
	for _, cs := range st.cases {
		id := wireText(byEvent[cs.events[0]].DisputeID)
		disputes[id] = true
		for _, evID := range cs.events {
			if ev := byEvent[evID]; wireText(ev.DisputeID) != id || !ev.Applied {
				t.Errorf("case %s, event %s: want applied to dispute %q: %s", cs.dp, evID, id, webhookJSON(ev))
			}
		}
		if id == "" {
			continue
		}
		if d := webhookRead[httpapi.Dispute](a, "/v1/disputes/"+id); d.Status != cs.final {
			t.Errorf("case %s closed %s, the dispute is %s", cs.dp, cs.final, d.Status)
		}
		entries := map[string]int{}
		for _, en := range webhookRead[httpapi.List[httpapi.TimelineEntry]](a, "/v1/disputes/"+id+"/timeline").Data {
			if en.Action == "provider_event" {
				_, rest, _ := strings.Cut(wireText(en.Note), " ")
				evID, _, _ := strings.Cut(rest, ":")
				entries[evID]++
			}
		}
		for _, evID := range cs.events {
			if entries[evID] != 1 {
				t.Errorf("case %s: event %s applied %d times (its timeline entries: %v)", cs.dp, evID, entries[evID], entries)
			}
		}
		if len(entries) != len(cs.events) {
			t.Errorf("case %s: timeline entries of %d events, want %d: %v", cs.dp, len(entries), len(cs.events), entries)
		}
	}
	if len(disputes) != len(st.cases) {
		t.Errorf("%d cases opened %d disputes", len(st.cases), len(disputes))
	}
	if n := len(webhookRead[httpapi.List[httpapi.Dispute]](a, "/v1/disputes?limit=100").Data); n != len(st.cases) {
		t.Errorf("%d disputes listed, want %d", n, len(st.cases))
	}
	if n := len(webhookRead[httpapi.List[httpapi.Event]](a, "/v1/events?type=dispute.created&limit=100").Data); n != len(st.cases) {
		t.Errorf("%d dispute.created events, want %d", n, len(st.cases))
	}
}

// instance is a second server on an Env's database and a client of it.
type instance struct {
	server *server.Server
	client *testenv.Client
}

// secondInstance assembles and serves another whole server on e's database, with a store (a
// connection pool) of its own, as a second process would, and returns it with a client sending
// the admin key.
func secondInstance(t *testing.T, e *testenv.Env) instance {
	t.Helper()
	s, err := server.New(e.OpenAgain(), server.Options{Now: e.Clock.Now, Hasher: password.NewTestHasher(), DeferApplying: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler)
	s.API.SetServerURL(srv.URL)
	t.Cleanup(srv.Close)
	return instance{server: s, client: testenv.NewClient(t, srv.URL, testenv.AdminKey)}
}

// twoInstanceStream is the events sent, as chains: a chain's events are sent one after the
// other, each once the one before is acknowledged; the chains go side by side.
type twoInstanceStream struct {
	chains  [][]twoInstanceEvent
	charges []twoInstanceCharge
	cases   []twoInstanceCase
}

type twoInstanceEvent struct {
	id   string
	body []byte
}

type twoInstanceCharge struct {
	id, event           string
	amount              int64
	refund, refundEvent string // "" when not refunded
}

type twoInstanceCase struct {
	dp     string
	events []string // created, updated, closed
	final  string   // the status it was closed with
}

// The stream: 96 charges, every fourth refunded by half, and 12 of them disputed (created,
// updated, closed: won or lost), 180 events.
const (
	twoInstanceCharges  = 96
	twoInstanceDisputes = 12
)

func newTwoInstanceStream(now time.Time) *twoInstanceStream {
	st := &twoInstanceStream{}
	base := now.Add(-2 * time.Hour)
	for i := range twoInstanceCharges {
		c := twoInstanceCharge{id: fmt.Sprintf("ch_two_%03d", i), event: fmt.Sprintf("evt_two_c%03d", i), amount: 1000 + int64(i)*37}
		created := base.Add(time.Duration(i) * time.Second)
		chain := []twoInstanceEvent{st.event(c.event, "charge.succeeded", created, map[string]any{
			"id": c.id, "object": "charge", "amount": c.amount, "amount_captured": c.amount, "currency": "usd", "captured": true,
			"paid": true, "status": "succeeded", "created": created.Unix(), "payment_intent": "pi_two_" + c.id,
			"payment_method_details": map[string]any{"type": "card", "card": map[string]any{"brand": "visa", "last4": "4242"}}})}
		switch {
		case i < twoInstanceDisputes:
			dp := fmt.Sprintf("dp_two_%02d", i)
			cs := twoInstanceCase{dp: dp, final: "won"}
			if i%2 == 1 {
				cs.final = "lost"
			}
			opened := base.Add(time.Hour + time.Duration(i)*time.Minute)
			for step, typ := range []string{"charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed"} {
				id := fmt.Sprintf("evt_two_d%02d_%d", i, step)
				ev := testenv.StripeEvent(id, typ, []string{"needs_response", "under_review", cs.final}[step], dp, c.id,
					opened.Add(time.Duration(step)*time.Second))
				obj := ev["data"].(map[string]any)["object"].(map[string]any)
				obj["amount"], obj["payment_intent"], obj["created"] = c.amount, "pi_two_"+c.id, opened.Add(-time.Minute).Unix()
				chain = append(chain, twoInstanceEvent{id: id, body: streamBody(ev)})
				cs.events = append(cs.events, id)
			}
			st.cases = append(st.cases, cs)
		case i%4 == 0:
			c.refund, c.refundEvent = fmt.Sprintf("re_two_%03d", i), fmt.Sprintf("evt_two_r%03d", i)
			at := created.Add(30 * time.Minute)
			chain = append(chain, st.event(c.refundEvent, "refund.created", at, map[string]any{
				"id": c.refund, "object": "refund", "amount": c.amount / 2, "currency": "usd", "charge": c.id,
				"payment_intent": "pi_two_" + c.id, "status": "succeeded", "reason": "requested_by_customer", "created": at.Unix()}))
		}
		st.charges = append(st.charges, c)
		st.chains = append(st.chains, chain)
	}
	return st
}

// event is a Stripe event of the type given around object.
func (st *twoInstanceStream) event(id, typ string, created time.Time, object map[string]any) twoInstanceEvent {
	return twoInstanceEvent{id: id, body: streamBody(map[string]any{"id": id, "object": "event", "api_version": "2024-06-20",
		"created": created.Unix(), "livemode": false, "type": typ, "pending_webhooks": 1,
		"request": map[string]any{"id": nil, "idempotency_key": nil}, "data": map[string]any{"object": object}})}
}

func streamBody(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// send sends the chains from senders goroutines, chain k's event j to instance (k+j)%2, signed
// as Stripe signs them, and returns how many events were sent; each must be acknowledged as a
// new event. Before each event the servers' clock moves on a millisecond, as a real one does
// between an acknowledgement and the next send: the inbox's ids, which hold the order of
// arrival, begin with the millisecond of the instance that took the event, so that a clock
// standing still would order two instances' events at random.
func (st *twoInstanceStream) send(t *testing.T, instances [2]*testenv.Client, senders int, clock *testenv.Clock) int {
	t.Helper()
	chains := make(chan int, len(st.chains))
	for k := range st.chains {
		chains <- k
	}
	close(chains)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []string
	)
	for range senders {
		wg.Go(func() {
			for k := range chains {
				for j, ev := range st.chains[k] {
					c := instances[(k+j)%2]
					clock.Advance(time.Millisecond)
					r, err := c.As("").Send(http.MethodPost, "/v1/providers/stripe/webhook", ev.body,
						"Stripe-Signature", testenv.StripeSignature(testenv.StripeSecret, clock.Now(), ev.body))
					var answer struct{ Duplicate bool }
					if err == nil && (r.Status != http.StatusOK || json.Unmarshal(r.Raw, &answer) != nil || answer.Duplicate) {
						err = fmt.Errorf("answered %d: %s", r.Status, r.Raw)
					}
					if err != nil {
						mu.Lock()
						errs = append(errs, fmt.Sprintf("%s to %s: %v", ev.id, c.URL, err))
						mu.Unlock()
						break // the chain's next events would come out of order
					}
				}
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d events not acknowledged: %s", len(errs), strings.Join(errs, "; "))
	}
	n := 0
	for _, chain := range st.chains {
		n += len(chain)
	}
	return n
}

// waitInboxDrained waits until no event is pending or failed and sent events are applied, and
// returns the applied events.
func waitInboxDrained(t *testing.T, c *testenv.Client, sent int, longest time.Duration) []httpapi.ProviderEvent {
	t.Helper()
	began := time.Now()
	for {
		pending := webhookRead[httpapi.ProviderEventList](c, "/v1/provider_events?state=pending&limit=1").Data
		failed := webhookRead[httpapi.ProviderEventList](c, "/v1/provider_events?state=failed&limit=100").Data
		if len(failed) > 0 {
			t.Fatalf("%d events failed: %s", len(failed), webhookJSON(failed))
		}
		if len(pending) == 0 {
			applied := providerEventsIn(t, c, "applied")
			if len(applied) != sent {
				t.Fatalf("%d events sent, %d applied and none pending", sent, len(applied))
			}
			return applied
		}
		if time.Since(began) > longest {
			t.Fatalf("events still pending after %v: %s", longest, webhookJSON(pending))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// providerEventsIn lists every provider event in the state given, page after page.
func providerEventsIn(t *testing.T, c *testenv.Client, state string) []httpapi.ProviderEvent {
	t.Helper()
	var all []httpapi.ProviderEvent
	path := "/v1/provider_events?limit=100&state=" + state
	for {
		page := webhookRead[httpapi.ProviderEventList](c, path)
		all = append(all, page.Data...)
		if page.NextCursor == nil {
			return all
		}
		path = "/v1/provider_events?limit=100&state=" + state + "&cursor=" + url.QueryEscape(*page.NextCursor)
	}
}
