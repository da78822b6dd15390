package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"disputed/internal/webhook/webhooktest"
)

// TestReplayChangesNothing sends a whole provider event stream (disputes from Stripe and the
// generic feed through their lifecycles, alerts, an unknown charge, an event about no dispute),
// then replays it twice, once in order and once backwards, as a provider re-sending a day of
// events does: every replayed event is answered 200 as a duplicate naming the same dispute, and
// no dispute, order, transaction, timeline entry, event, email, job or webhook delivery changes.
func TestReplayChangesNothing(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		rcv := webhooktest.Start(t)
		s := startServerOn(t, db, map[string]string{"DISPUTED_WEBHOOK_ALLOW_PRIVATE": "1"})
		streamProviders(s)
		want(t, s.post("/v1/settings", map[string]any{"block_on_dispute": true}), 200)
		ep := s.post("/v1/webhook_endpoints", map[string]any{"url": rcv.URL, "events": []string{"*"}})
		want(t, ep, 201)

		st := newStream(time.Now())
		var orders, charges []string
		for _, sc := range []scenario{stripeWon, stripeLost, stripeInquiry, stripeWarningThenChargeback, stripeUnknownCharge,
			stripeWarningUnknownCharge, stripeNotADispute, feedChargebackWon, feedChargebackDueSoon, feedEthoca, feedRDR} {
			c := s.streamSale()
			orders, charges = append(orders, s.get("/v1/transactions/"+c.id).str("order_id")), append(charges, c.id)
			st.add(sc, c)
		}
		events := st.events()

		disputeOf := map[string]string{}
		for _, n := range events {
			r := s.deliver(n)
			want(t, r, 200)
			if r.get("duplicate") != false {
				t.Fatalf("first delivery of %s answered as a duplicate: %s", n.id, r.raw)
			}
			disputeOf[n.id] = r.str("dispute_id")
			kept := strings.HasPrefix(r.str("outcome"), "kept, not applied")
			if (n.caseID == "" || kept) != (r.str("dispute_id") == "") {
				t.Fatalf("event %s about case %q: %s", n.id, n.caseID, r.raw)
			}
		}
		if won := s.get("/v1/disputes/" + disputeOf[events[0].id]); won.str("transaction_id") != charges[0] || won.str("status") != "won" {
			t.Fatalf("the first case, a Stripe chargeback won, on charge %s: %s", charges[0], won.raw)
		}
		before := s.replayState(orders, charges, ep.str("id"))
		if got := strings.Count(before, "\ndispute "); got != 10 {
			t.Fatalf("the stream opened %d disputes, want 10:\n%s", got, before)
		}

		backwards := slices.Clone(events)
		slices.Reverse(backwards)
		for _, replay := range [][]notification{events, backwards} {
			for _, n := range replay {
				r := s.deliver(n)
				want(t, r, 200)
				if r.get("duplicate") != true || r.str("dispute_id") != disputeOf[n.id] {
					t.Fatalf("replay of %s: %s; want a duplicate about dispute %q", n.id, r.raw, disputeOf[n.id])
				}
			}
			if after := s.replayState(orders, charges, ep.str("id")); after != before {
				t.Fatalf("a replay changed the state:\n%s", lineDiff(before, after))
			}
		}
	})
}

// waitForDueJobs waits until the job runner has run every job due now, so that what the events
// set off in the background (line actions, emails, deliveries) is part of a snapshot instead of
// landing in the next one.
func (s *testServer) waitForDueJobs() {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		busy := len(s.get("/v1/jobs?state=running&limit=1").list()) > 0
		for _, j := range s.get("/v1/jobs?state=scheduled&limit=100").list() {
			// A job due now, or one that failed (a database busy under load) and is retried
			// within seconds, is about to change what the snapshot reads.
			soon := time.Now()
			if n, _ := j["attempts"].(float64); n > 0 {
				soon = soon.Add(time.Minute)
			}
			if at, err := time.Parse(time.RFC3339Nano, fmt.Sprint(j["run_at"])); err == nil && !at.After(soon) {
				busy = true
			}
		}
		if !busy {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatal("jobs due now were still waiting after 20 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// deliver sends a notification signed now, as its provider does.
func (s *testServer) deliver(n notification) response {
	s.t.Helper()
	path, headers := n.signed(time.Now())
	return s.call("POST", path, n.body, headers...)
}

// replayState is everything a provider event can change, as the API shows it, one object or
// list entry a line: disputes whole (status, revision, amounts, dates), with their timeline
// entries and emails; the orders and charges whole (refunds and withdrawals included); and the
// ids of every event, job, webhook delivery and block list entry.
func (s *testServer) replayState(orders, charges []string, endpoint string) string {
	s.t.Helper()
	s.waitForDueJobs()
	var b strings.Builder
	for _, d := range s.walk("/v1/disputes?", 100, nil) {
		id := fmt.Sprint(d["id"])
		fmt.Fprintf(&b, "\ndispute %s\n", s.get("/v1/disputes/"+id).raw)
		var entries []string
		for _, e := range s.get("/v1/disputes/" + id + "/timeline").list() {
			entries = append(entries, fmt.Sprint(e["id"], ":", e["action"]))
		}
		fmt.Fprintf(&b, "timeline %s %v\n", id, entries)
		fmt.Fprintf(&b, "emails %s %v\n", id, s.get("/v1/disputes/"+id+"/emails?limit=100").ids())
	}
	for _, id := range orders {
		fmt.Fprintf(&b, "order %s\n", s.get("/v1/orders/"+id).raw)
	}
	for _, id := range charges {
		fmt.Fprintf(&b, "charge %s\n", s.get("/v1/transactions/"+id).raw)
	}
	for _, list := range []string{"/v1/events?", "/v1/jobs?", "/v1/webhook_endpoints/" + endpoint + "/deliveries?", "/v1/blocklist?"} {
		var ids []any
		for _, o := range s.walk(list, 100, nil) {
			ids = append(ids, o["id"])
		}
		fmt.Fprintf(&b, "%s %d %v\n", list, len(ids), ids)
	}
	return b.String()
}

// lineDiff shows the lines of before and after that differ.
func lineDiff(before, after string) string {
	var b strings.Builder
	bl, al := strings.Split(before, "\n"), strings.Split(after, "\n")
	for i := range max(len(bl), len(al)) {
		var x, y string
		if i < len(bl) {
			x = bl[i]
		}
		if i < len(al) {
			y = al[i]
		}
		if x != y {
			fmt.Fprintf(&b, "- %s\n+ %s\n", x, y)
		}
	}
	return b.String()
}
