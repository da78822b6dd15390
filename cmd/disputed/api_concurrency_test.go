package main

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestConcurrentSameRevision sends 100 updates at once, all holding the same revision: exactly
// one wins, the other 99 are told their revision is stale, and the dispute shows the winner's
// change alone: the revision moved by one, one timeline entry, one dispute.updated event.
func TestConcurrentSameRevision(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		_, _, charge := s.sale(1000, "usd")
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge})
		want(t, d, 201)
		id, start := d.str("id"), d.num("revision")
		const n = 100
		res := make([]response, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		gate := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-gate
				res[i], errs[i] = s.send("POST", "/v1/disputes/"+id, map[string]any{"revision": start, "tags": []string{fmt.Sprint("writer-", i)}})
			})
		}
		close(gate)
		wg.Wait()
		ok, conflict := 0, 0
		winner := ""
		for i, r := range res {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			switch {
			case r.status == 200:
				ok++
				winner = fmt.Sprint("writer-", i)
				if r.num("revision") != start+1 {
					t.Errorf("the winner got revision %d, want %d", r.num("revision"), start+1)
				}
			case r.status == 409 && r.errCode() == "revision_conflict":
				conflict++
			default:
				t.Errorf("update %d: %d %s", i, r.status, r.raw)
			}
		}
		if ok != 1 || conflict != n-1 {
			t.Errorf("%d accepted, %d revision_conflict; want 1 and %d", ok, conflict, n-1)
		}
		final := s.get("/v1/disputes/" + id)
		if final.num("revision") != start+1 {
			t.Errorf("final revision %d, want %d", final.num("revision"), start+1)
		}
		if tags, _ := final.get("tags").([]any); len(tags) != 1 || tags[0] != winner {
			t.Errorf("final tags %v, want the winner's [%s]", final.get("tags"), winner)
		}
		if c := count(s.eventsOf("dispute_id="+id), "dispute.updated"); c != 1 {
			t.Errorf("%d dispute.updated events, want 1", c)
		}
		updates := 0
		for _, e := range s.get("/v1/disputes/" + id + "/timeline").list() {
			if e["action"] == "updated" {
				updates++
			}
		}
		if updates != 1 {
			t.Errorf("%d updated timeline entries, want the winner's alone", updates)
		}
	})
}

// TestConcurrentRetries sends 50 updates at once, each retrying on a conflict with a fresh read:
// all 50 get in, one revision each.
func TestConcurrentRetries(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		_, _, charge := s.sale(1000, "usd")
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge})
		want(t, d, 201)
		id, start := d.str("id"), d.num("revision")
		const n = 50
		revs := make([]int64, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				key := fmt.Sprint("k", i)
				for attempt := 0; attempt < 1000; attempt++ {
					cur, err := s.send("GET", "/v1/disputes/"+id, nil)
					if err != nil || cur.status != 200 {
						errs[i] = fmt.Errorf("read: %v %s", err, cur.raw)
						return
					}
					r, err := s.send("POST", "/v1/disputes/"+id, map[string]any{"revision": cur.num("revision"),
						"metadata": map[string]string{key: "v"}})
					if err != nil {
						errs[i] = err
						return
					}
					switch {
					case r.status == 200:
						revs[i] = r.num("revision")
						if r.num("revision") != cur.num("revision")+1 {
							errs[i] = fmt.Errorf("revision %d after %d", r.num("revision"), cur.num("revision"))
						}
						return
					case r.status == 409 && r.errCode() == "revision_conflict":
						continue
					default:
						errs[i] = fmt.Errorf("update: %d %s", r.status, r.raw)
						return
					}
				}
				errs[i] = fmt.Errorf("writer %d never got in", i)
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		final := s.get("/v1/disputes/" + id)
		if final.num("revision") != start+n {
			t.Errorf("final revision %d, want %d", final.num("revision"), start+n)
		}
		if md, _ := final.get("metadata").(map[string]any); len(md) != n {
			t.Errorf("%d metadata keys, want %d: every accepted change must be kept", len(md), n)
		}
		slices.Sort(revs)
		for i, r := range revs {
			if r != start+1+int64(i) {
				t.Fatalf("accepted revisions %v, want each of %d..%d once", revs, start+1, start+n)
			}
		}
		tl := s.get("/v1/disputes/" + id + "/timeline").list()
		if c := 0; true {
			for _, e := range tl {
				if e["action"] == "updated" {
					c++
				}
			}
			if c != n {
				t.Errorf("%d updated timeline entries, want %d", c, n)
			}
		}
	})
}

// TestConcurrentDisputeOpen opens 10 disputes on one order at once: one is opened, the others
// find it.
func TestConcurrentDisputeOpen(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		_, ord, charge := s.sale(1000, "usd")
		const n = 10
		res := make([]response, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				res[i], errs[i] = s.send("POST", "/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge})
			})
		}
		wg.Wait()
		ok := 0
		for i, r := range res {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			switch {
			case r.status == 201:
				ok++
			case r.status == 409 && r.errCode() == "dispute_exists":
			default:
				t.Errorf("open %d: %d %s", i, r.status, r.raw)
			}
		}
		if ok != 1 {
			t.Errorf("%d disputes opened, want 1", ok)
		}
		if got := s.get("/v1/disputes?order_id=" + ord).ids(); len(got) != 1 {
			t.Errorf("order has disputes %v, want one", got)
		}
	})
}

// TestConcurrentProviderEvents delivers the events of several provider cases all at once (a
// provider's retries and its next events overlap): each event is acknowledged at its first
// delivery, on PostgreSQL too, where two transactions can read the same dispute before either
// writes. A race inside the server is its own to retry, not a 409 for a provider that sent no
// revision.
func TestConcurrentProviderEvents(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		streamProviders(s)
		st := newStream(time.Now())
		for range 8 {
			st.add(stripeLost, s.streamSale())
			st.add(stripeWarningThenChargeback, s.streamSale())
		}
		events := st.events()
		res := make([]response, len(events))
		errs := make([]error, len(events))
		var wg sync.WaitGroup
		gate := make(chan struct{})
		for i, n := range events {
			wg.Go(func() {
				<-gate
				path, headers := n.signed(time.Now())
				res[i], errs[i] = s.send("POST", path, n.body, headers...)
			})
		}
		close(gate)
		wg.Wait()
		for i, r := range res {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if r.status != 200 {
				t.Errorf("event %s: %d %s", events[i].id, r.status, r.raw)
			}
		}
		if n := len(s.get("/v1/disputes?limit=100").list()); n != 24 {
			t.Errorf("%d disputes, want 24: one per case", n)
		}
	})
}
