package main

import (
	"context"
	"testing"
	"time"
)

// TestPaceGivesTurnsAtTheRate: a paced sender gets no turn ahead of its time, and one held up
// gets the turns it missed at once.
func TestPaceGivesTurnsAtTheRate(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	start := time.Now()
	turn := pace(ctx, 50, start)
	taken := 0
	for time.Since(start) < 100*time.Millisecond {
		if err := turn(); err != nil {
			t.Fatal(err)
		}
		taken++
	}
	if due := int(time.Since(start).Seconds()*50) + 1; taken > due {
		t.Errorf("%d turns in %v at 50 a second: ahead of time (at most %d)", taken, time.Since(start), due)
	}
	time.Sleep(300 * time.Millisecond) // held up: about 15 turns missed
	missed := time.Now()
	for range 10 {
		if err := turn(); err != nil {
			t.Fatal(err)
		}
	}
	if waited := time.Since(missed); waited > 100*time.Millisecond { // 200 ms at the rate
		t.Errorf("the missed turns came %v later, not at once", waited)
	}
	if err := pace(ctx, 0, start)(); err != nil {
		t.Errorf("unpaced: %v", err)
	}
}
