package webhook

import (
	"testing"
	"time"
)

func TestSchedule(t *testing.T) {
	t.Parallel()
	want := []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute,
		2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour}
	if MaxAttempts != len(want)+1 {
		t.Errorf("MaxAttempts = %d, want %d", MaxAttempts, len(want)+1)
	}
	var total time.Duration
	for n := 1; n < MaxAttempts; n++ {
		got := Schedule(n)
		if got != want[n-1] {
			t.Errorf("Schedule(%d) = %v, want %v", n, got, want[n-1])
		}
		if n > 1 && got < Schedule(n-1) {
			t.Errorf("Schedule(%d) = %v, shorter than Schedule(%d) = %v", n, got, n-1, Schedule(n-1))
		}
		total += got
	}
	// The promise made in the API documentation: retries for at least 24 hours.
	if total < 24*time.Hour {
		t.Errorf("the schedule sums to %v, want at least 24h", total)
	}
}

func TestScheduleOutOfRange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n    int
		want time.Duration
	}{
		{-1, 5 * time.Second},
		{0, 5 * time.Second},
		{MaxAttempts, 10 * time.Hour},
		{MaxAttempts + 100, 10 * time.Hour},
	}
	for _, tt := range tests {
		if got := Schedule(tt.n); got != tt.want {
			t.Errorf("Schedule(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}
