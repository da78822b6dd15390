// Package gcpolicy is how the server's garbage collector is set: less often than Go's default,
// within a soft bound of memory. The server's live heap is small (tens of megabytes: lists and
// exports stream, rows are not cached), while its hot paths allocate a row's worth of values per
// statement, so with Go's default (a collection each time the heap doubles) a deadline's or a
// provider event's work spent about a seventh of its CPU collecting. Measured (BENCHMARKS.md,
// session 13): 100,000 deadlines' CPU 16 % less, the ingest's 10 % less, its peak RSS 97 → 133 MB.
package gcpolicy

import "runtime/debug"

const (
	// Percent is the heap's growth, over what the last collection kept, that starts the next
	// (GOGC): four times what was kept, rather than once.
	Percent = 400
	// MemoryLimit is the soft bound of the memory Go manages (GOMEMLIMIT): near it the collector
	// runs as often as it must (at most half the CPU), whatever Percent says. SQLite's page
	// cache and the process's code come on top (about 50 MB).
	MemoryLimit = 80 << 20
)

// Apply sets the collector as the server runs it, each setting only where the operator gave
// none: Go itself reads GOGC and GOMEMLIMIT from the environment when the process starts, and
// their values win.
func Apply(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(Percent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(MemoryLimit)
	}
}
