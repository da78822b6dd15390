package service_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"disputed/internal/service"
)

// TestMain fails the package when a test leaves a goroutine behind: a stopped service must
// leave none.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestPeriodicRunsAtOnceUnderItsTimeout: the first run starts with Start, not one interval later,
// and its context carries the run's deadline.
func TestPeriodicRunsAtOnceUnderItsTimeout(t *testing.T) {
	t.Parallel()
	deadlines := make(chan time.Time, 1)
	p := &service.Periodic{Name: "count", Interval: time.Hour, Timeout: time.Minute,
		Work: func(ctx context.Context) error {
			d, _ := ctx.Deadline()
			deadlines <- d
			return nil
		}}
	before := time.Now()
	if err := p.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	d := <-deadlines
	p.Stop()
	if d.IsZero() || d.Before(before.Add(time.Minute)) || d.After(time.Now().Add(time.Minute)) {
		t.Fatalf("run deadline %v, want a minute after the run started (%v)", d, before)
	}
}

// TestPeriodicRunEndsAtItsTimeout: a run that outlives its timeout has its context cancelled, its
// failure is logged, and the service stops cleanly afterwards.
func TestPeriodicRunEndsAtItsTimeout(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	ended := make(chan error, 1)
	p := &service.Periodic{Name: "purge history", Interval: time.Hour, Timeout: time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Work: func(ctx context.Context) error {
			<-ctx.Done()
			ended <- ctx.Err()
			return ctx.Err()
		}}
	if err := p.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := <-ended; !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("run ended with %v, want its deadline", err)
	}
	p.Stop()
	if got := logs.String(); !strings.Contains(got, `msg="purge history"`) || !strings.Contains(got, "deadline exceeded") {
		t.Fatalf("log %q, want the failed run under the service's name", got)
	}
}

// TestStopWaitsForTheRunUnderWay: Stop cancels the running work and returns only once it has
// returned; a run cut short by Stop is not logged as a failure.
func TestStopWaitsForTheRunUnderWay(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	started := make(chan struct{})
	var mu sync.Mutex
	finished := false
	p := &service.Periodic{Name: "slow", Interval: time.Hour, Timeout: time.Hour,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Work: func(ctx context.Context) error {
			close(started)
			<-ctx.Done()
			mu.Lock()
			finished = true
			mu.Unlock()
			return ctx.Err()
		}}
	if err := p.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	<-started
	p.Stop()
	mu.Lock()
	defer mu.Unlock()
	if !finished {
		t.Fatal("Stop returned before the run under way had")
	}
	if logs.Len() != 0 {
		t.Fatalf("a run stopped on purpose was logged: %q", logs.String())
	}
}

// TestStartContextStopsTheService: the work stops when Start's context ends, and a later Stop
// returns at once.
func TestStartContextStopsTheService(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	var b service.Base
	done := make(chan struct{})
	b.Go(ctx, func(ctx context.Context) {
		<-ctx.Done()
		close(done)
	})
	cancel()
	<-done
	b.Stop()
}

// TestBaseStartsOnceAndRestarts: Go while running does nothing; after Stop it starts anew. Stop
// without Start, or twice, does nothing.
func TestBaseStartsOnceAndRestarts(t *testing.T) {
	t.Parallel()
	var b service.Base
	b.Stop()
	runs := make(chan struct{}, 3)
	work := func(ctx context.Context) {
		runs <- struct{}{}
		<-ctx.Done()
	}
	b.Go(t.Context(), work)
	b.Go(t.Context(), work)
	<-runs
	b.Stop()
	b.Stop()
	if n := len(runs); n != 0 {
		t.Fatalf("a second Go while running started %d more", n)
	}
	b.Go(t.Context(), work)
	<-runs
	b.Stop()
}

// syncBuffer is a log destination safe for the service's goroutine and the test's.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.buf.String() }
func (b *syncBuffer) Len() int       { b.mu.Lock(); defer b.mu.Unlock(); return b.buf.Len() }
