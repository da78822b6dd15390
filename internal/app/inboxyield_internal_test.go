package app

import (
	"context"
	"testing"
	"time"
)

// TestAppliersStandAsideForAQueuedBurst: while notifications queue for the writer, the appliers
// wait until the burst ends, however long their own pass took; once the events they apply have
// waited inboxYieldLag, or while notifications arrive one at a time, they come back while the
// burst goes on: after their share of the time, or, late, once no append waits (here none does).
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
			// The burst's last group is stamped an hour ahead, so that it goes on however late
			// this test is scheduled, and cleared to end it.
			a.inbox.lastCommit.Store(time.Now().Add(time.Hour).UnixNano())
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			back := make(chan struct{})
			go func() {
				a.yieldToAppends(ctx, time.Millisecond, c.lag)
				close(back)
			}()
			select { // far longer than the share's wait, 3 ms
			case <-back:
				if c.aside {
					t.Fatalf("the appliers came back during a burst of queued notifications")
				}
				return
			case <-time.After(time.Second):
				if !c.aside {
					t.Fatalf("the appliers did not come back within a second of a burst")
				}
			}
			a.inbox.lastCommit.Store(0)
			select { // they come back when the burst ends, well before their bound (4 s away)
			case <-back:
			case <-time.After((inboxYieldLag - time.Second) / 2):
				t.Fatalf("the appliers did not come back at the burst's end")
			}
		})
	}
}

// TestLateAppliersLetWaitingAppendsGoFirst: once the events they apply are late, the appliers,
// done with a pass, wait while appends wait for the writer, and go on as soon as none does,
// however long the burst lasts; and they wait no longer than their pass took, so that appends
// arriving without pause cannot hold them off.
func TestLateAppliersLetWaitingAppendsGoFirst(t *testing.T) {
	var a App
	a.inbox.lastRequests.Store(3)
	a.inbox.lastCommit.Store(time.Now().Add(time.Hour).UnixNano()) // a burst that goes on
	a.inbox.writing = true                                         // an append waits for the writer
	back := make(chan struct{})
	go func() {
		a.yieldToAppends(t.Context(), time.Hour, inboxYieldLag)
		close(back)
	}()
	select {
	case <-back:
		t.Fatal("the appliers took the writer back while an append waited for it")
	case <-time.After(200 * time.Millisecond):
	}
	a.inbox.mu.Lock()
	a.inbox.writing = false // written
	a.inbox.mu.Unlock()
	select {
	case <-back:
	case <-time.After(time.Second):
		t.Fatal("the appliers did not come back once no append waited, though the burst goes on")
	}

	a.inbox.mu.Lock()
	a.inbox.writing = true // appends that never stop waiting
	a.inbox.mu.Unlock()
	bounded := make(chan struct{})
	go func() {
		a.yieldToAppends(t.Context(), 10*time.Millisecond, 2*inboxYieldLag)
		close(bounded)
	}()
	select {
	case <-bounded:
	case <-time.After(time.Second):
		t.Fatal("the appliers waited longer than their pass for appends that keep waiting")
	}
}
