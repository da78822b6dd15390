package access

import (
	"testing"
	"time"
)

// TestLockoutLadder: the first four attempts of a pair are free, the fifth locks it for a
// minute, each one after for twice as long as the one before, up to an hour.
func TestLockoutLadder(t *testing.T) {
	t.Parallel()
	want := map[int]time.Duration{0: 0, 1: 0, 4: 0, 5: time.Minute, 6: 2 * time.Minute, 7: 4 * time.Minute, 8: 8 * time.Minute,
		9: 16 * time.Minute, 10: 32 * time.Minute, 11: time.Hour, 12: time.Hour, 100: time.Hour, 1 << 20: time.Hour}
	for n, d := range want {
		if got := lockout(n); got != d {
			t.Errorf("lockout(%d) = %s, want %s", n, got, d)
		}
	}
}
