package gcpolicy

import (
	"runtime/debug"
	"testing"
)

// TestApply: the collector is set as the server runs it where the environment says nothing, and
// left as Go read it from the environment where it does.
func TestApply(t *testing.T) {
	percent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	t.Cleanup(func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	})
	debug.SetMemoryLimit(1 << 40)
	Apply(func(string) string { return "" })
	if got := debug.SetGCPercent(100); got != Percent {
		t.Errorf("GOGC unset: the collector's percent is %d, want %d", got, Percent)
	}
	if got := debug.SetMemoryLimit(1 << 40); got != MemoryLimit {
		t.Errorf("GOMEMLIMIT unset: the memory limit is %d, want %d", got, MemoryLimit)
	}
	Apply(func(name string) string { return map[string]string{"GOGC": "150", "GOMEMLIMIT": "1GiB"}[name] })
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC given: the percent was changed to %d", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 1<<40 {
		t.Errorf("GOMEMLIMIT given: the limit was changed to %d", got)
	}
}
