package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"disputed/internal/provider"
	"disputed/internal/provider/stripe"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// TestInboxReadsTheNextPassAhead: an instance that did not receive a backlog (received by
// another, or before a restart) reads the events of its next pass while the pass before
// applies its own, and reads each event once.
func TestInboxReadsTheNextPassAhead(t *testing.T) {
	t.Parallel()
	testenv.EachWith(t, testenv.Options{DeferApplying: true}, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("", "")
		const events = 150 // two passes of 64 and one of 22
		for i := range events {
			testenv.Must(e.StoreStripe(chargeSucceeded(i, fmt.Sprint("ord_elsewhere_", i), e.Clock.Now())))(t)
		}
		// The first event of each later pass is read while the first event of the pass before
		// is still pending: that pass has not committed.
		reads := &parseLog{e: e, before: map[string]string{"evt_bench_c0000064": "evt_bench_c0000000", "evt_bench_c0000128": "evt_bench_c0000064"}}
		other := e.Instance(testenv.Options{DeferApplying: true, Providers: provider.NewRegistry(reads.stripeType())})
		done, err := other.ApplyProviderEvents(e.Ctx)
		if err != nil || done.Applied != events || done.Failed != 0 {
			t.Fatalf("applied %d of %d events, %d failed: %v", done.Applied, events, done.Failed, err)
		}
		reads.mu.Lock()
		defer reads.mu.Unlock()
		for watched, before := range reads.before {
			if state := reads.stateBefore[watched]; state != store.EventPending {
				t.Errorf("%s was read when %s was %q, not pending: not read ahead", watched, before, state)
			}
		}
		for id, n := range reads.count {
			if n != 1 {
				t.Errorf("%s read %d times", id, n)
			}
		}
		if len(reads.count) != events {
			t.Errorf("%d events read, want %d", len(reads.count), events)
		}
	})
}

// parseLog counts each event its Stripe adapters read from a stored payload and, when it reads
// an event of before, notes the state of the event named there.
type parseLog struct {
	e      *testenv.Env
	before map[string]string // by event id

	mu          sync.Mutex
	count       map[string]int
	stateBefore map[string]string
}

func (l *parseLog) stripeType() provider.Type {
	t := stripe.Type()
	inner := t.New
	t.New = func(cfg provider.Config, client *http.Client) provider.Adapter {
		return loggedParser{Adapter: inner(cfg, client), log: l}
	}
	return t
}

type loggedParser struct {
	provider.Adapter
	log *parseLog
}

func (p loggedParser) Parse(payload []byte) (provider.Event, error) {
	var head struct{ ID string }
	if err := json.Unmarshal(payload, &head); err != nil {
		return provider.Event{}, err
	}
	l := p.log
	if id, ok := l.before[head.ID]; ok {
		before, err := l.e.Store.GetProviderEvent(l.e.Ctx, "stripe", id)
		if err != nil {
			l.e.T.Errorf("read %s: %v", id, err)
		}
		l.mu.Lock()
		if l.stateBefore == nil {
			l.stateBefore = map[string]string{}
		}
		l.stateBefore[head.ID] = before.State
		l.mu.Unlock()
	}
	l.mu.Lock()
	if l.count == nil {
		l.count = map[string]int{}
	}
	l.count[head.ID]++
	l.mu.Unlock()
	return p.Adapter.Parse(payload)
}
