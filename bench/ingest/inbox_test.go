package main

import (
	"testing"
	"time"
)

func TestNextDrainPoll(t *testing.T) {
	for _, c := range []struct {
		name         string
		pending, was float64
		since, want  time.Duration
	}{
		{"the first read", 15000, 0, time.Hour, 100 * time.Millisecond},
		{"no drop since the read before", 500, 500, 100 * time.Millisecond, 100 * time.Millisecond},
		{"half the time left at the rate seen", 3000, 4000, 100 * time.Millisecond, 150 * time.Millisecond},
		{"a long drain ahead: at most a second", 30000, 30100, 100 * time.Millisecond, time.Second},
		{"nearly drained: at least 10 ms", 10, 1000, 100 * time.Millisecond, 10 * time.Millisecond},
	} {
		if got := nextDrainPoll(c.pending, c.was, c.since); got != c.want {
			t.Errorf("%s: waits %v, want %v", c.name, got, c.want)
		}
	}
}
