// Package gcpolicy is how the server's garbage collector is set: less often than Go's default.
// The server's live heap is small (tens of megabytes: lists and exports stream, rows are not
// cached), while its hot paths allocate a row's worth of values per statement, so with Go's
// default (a collection each time the heap doubles) a deadline's or a provider event's work
// spent about a seventh of its CPU collecting. Measured (BENCHMARKS.md, sessions 13, 16 and 17):
// at 300 the ingest's CPU per event 12 % less, its peak RSS 96 → 133 MB.
//
// No soft memory limit is set: one below the live heap makes the collector run without pause
// (half the CPU), which an 80 MiB limit did to the deadlines benchmark, whose process holds a
// snapshot of the database beside the server's work. GOMEMLIMIT is the operator's to set.
package gcpolicy

import "runtime/debug"

// Percent is the heap's growth, over what the last collection kept, that starts the next
// (GOGC): twice what was kept, rather than once. At 400 the ingest's peak RSS passed its 150 MB
// bound (154 MB); at 300, once the appliers stood aside for bursts (session 16), it reached it
// (138–151 MB); at 250 it came back to 145–149 MB in a third of the runs of session 17, and 200
// keeps it at 125–131 MB, the drains within the noise of 250's.
const Percent = 200

// Apply sets the collector as the server runs it, unless the operator set GOGC: Go itself reads
// it from the environment when the process starts, and its value wins.
func Apply(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(Percent)
	}
}
