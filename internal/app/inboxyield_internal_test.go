package app

import (
	"context"
	"testing"
	"time"
)

// TestAppliersStandAsideForAQueuedBurst: while notifications queue for the writer, the appliers
// wait until the burst ends, however long their own pass took; once the events they apply have
// waited inboxYieldLag, or while notifications arrive one at a time, they take their share and
// come back while the burst goes on.
func TestAppliersStandAsideForAQueuedBurst(t *testing.T) {
	cases := []struct {
		name     string
		requests int64         // of the last group committed
		lag      time.Duration // of the pass before
		aside    bool          // whether the appliers wait for the burst's end
	}{
		{"queued, events fresh", 3, 0, true},
		{"queued, events waited their bound", 3, inboxYieldLag, false},
		{"one at a time", 1, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var a App
			a.inbox.lastRequests.Store(c.requests)
			commitGroup := func() { a.inbox.lastCommit.Store(time.Now().UnixNano()) }
			commitGroup()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			back := make(chan time.Time, 1)
			go func() {
				a.yieldToAppends(ctx, time.Millisecond, c.lag)
				back <- time.Now()
			}()
			began := time.Now()
			// during: whether they came back while the burst, far longer than the share's wait
			// (3 ms), went on.
			var during bool
			for !during && time.Since(began) < time.Second {
				commitGroup()
				select {
				case <-back:
					during = true
				case <-time.After(5 * time.Millisecond):
				}
			}
			if during != !c.aside {
				t.Fatalf("came back during a burst of %v: %v, want %v", time.Since(began), during, !c.aside)
			}
			if !during { // they come back when the burst ends, before their bound would have them
				select {
				case <-back:
				case <-time.After(inboxYieldLag - time.Since(began)):
					t.Fatalf("the appliers did not come back at the burst's end")
				}
			}
		})
	}
}
