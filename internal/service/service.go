// Package service runs background work as services that start and stop. A service does its work
// in one goroutine of its own, from Start until Stop (or until Start's context ends), and Stop
// returns only once that goroutine has: a server that stops its services before closing its
// database leaves nothing running behind it. A service reads durable rows, never channels, so
// stopping one loses nothing; each of its runs has a timeout, so that Stop, which waits for the
// run under way, waits a bounded time.
package service

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Service is background work that starts and stops.
type Service interface {
	// Start starts the work in the background and returns; starting a started service does
	// nothing. The work stops when ctx ends or at Stop.
	Start(ctx context.Context) error
	// Stop asks the work to stop and returns when it has. Stopping a service that is not
	// running does nothing; a stopped service may be started again.
	Stop()
}

// Base gives a service its Start and Stop: a type embeds it, its Start calls Go, and the
// embedded Stop stops what Go started.
type Base struct {
	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

// Go runs work in a goroutine until it returns, with a context that ends at Stop or when ctx
// does. It does nothing while an earlier work is still running.
func (b *Base) Go(ctx context.Context, work func(ctx context.Context)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done != nil {
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	b.cancel, b.done = cancel, done
	go func() {
		defer close(done)
		work(ctx)
	}()
}

// Stop cancels the work's context and waits for the work to return.
func (b *Base) Stop() {
	b.mu.Lock()
	cancel, done := b.cancel, b.done
	b.mu.Unlock()
	if done == nil {
		return
	}
	cancel()
	<-done
	b.mu.Lock()
	if b.done == done { // not started again meanwhile
		b.cancel, b.done = nil, nil
	}
	b.mu.Unlock()
}

// Periodic is a service that runs Work at once, then every Interval and whenever Wake is
// signalled, each run under Timeout. A failed run is logged and the next one comes at its time.
type Periodic struct {
	Base
	Name     string        // what the work does, the message that logs its failure
	Interval time.Duration // between the starts of two runs
	Timeout  time.Duration // the longest a run may take
	Work     func(ctx context.Context) error
	Logger   *slog.Logger // nil discards the failures
	// Wake, when not nil, runs the work before its time: new work was written. A signal sent
	// while a run is under way runs the work again after it, so that none is missed.
	Wake <-chan struct{}
}

// Start runs the work in the background until Stop or until ctx ends.
func (p *Periodic) Start(ctx context.Context) error {
	p.Go(ctx, p.loop)
	return nil
}

func (p *Periodic) loop(ctx context.Context) {
	t := time.NewTicker(p.Interval)
	defer t.Stop()
	for {
		p.runOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-p.Wake:
		}
	}
}

func (p *Periodic) runOnce(ctx context.Context) {
	runCtx, cancel := context.WithTimeout(ctx, p.Timeout)
	defer cancel()
	if err := p.Work(runCtx); err != nil && ctx.Err() == nil && p.Logger != nil {
		p.Logger.Warn(p.Name, "error", err)
	}
}
