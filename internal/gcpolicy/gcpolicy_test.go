package gcpolicy

import (
	"runtime/debug"
	"testing"
)

// TestApply: the collector is set as the server runs it where the environment says nothing, and
// left as Go read it from the environment where it does.
func TestApply(t *testing.T) {
	percent := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(percent) })
	Apply(func(string) string { return "" })
	if got := debug.SetGCPercent(100); got != Percent {
		t.Errorf("GOGC unset: the collector's percent is %d, want %d", got, Percent)
	}
	Apply(func(name string) string { return map[string]string{"GOGC": "150"}[name] })
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC given: the percent was changed to %d", got)
	}
}
