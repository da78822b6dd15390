package store

import "time"

// AtPrecision is t as the store keeps it: UTC, to the millisecond. A use case stamps its writes
// with it, so that what it returns equals what a later read returns.
func AtPrecision(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }
