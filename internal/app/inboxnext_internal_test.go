package app

import (
	"context"
	"testing"
	"time"

	"disputed/internal/store"
)

// TestReadAheadLetsGoOfThePool: a pass waits for the events read ahead at most readAheadWait,
// then ends the read, which lets go of the pool: a read that cannot get a connection (every
// one held by transactions waiting for the pass's locks) does not hold the pass's commit.
func TestReadAheadLetsGoOfThePool(t *testing.T) {
	t.Parallel()
	pool := waitingPool{ended: make(chan struct{})}
	a := &App{store: pool}
	began := time.Now()
	a.readNextPass(t.Context(), "pev_1")()
	took := time.Since(began)
	select {
	case <-pool.ended:
	default:
		t.Fatal("the read ahead was not ended")
	}
	if took < readAheadWait || took > readAheadWait+5*time.Second {
		t.Errorf("the pass waited %v for a read ahead that could not run; want about %v", took, readAheadWait)
	}
}

// waitingPool is a store whose read of the events not applied waits for a connection that never
// comes free, until its context ends.
type waitingPool struct {
	store.Store
	ended chan struct{}
}

func (p waitingPool) UnappliedProviderEvents(ctx context.Context, _ string, _ int) ([]store.ProviderEvent, error) {
	<-ctx.Done()
	close(p.ended)
	return nil, ctx.Err()
}
