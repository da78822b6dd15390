package report

import (
	"math"
	"slices"
	"time"
)

// Latencies are the durations of many requests.
type Latencies []time.Duration

// Percentile returns the duration that a fraction p (0.5, 0.99) of the requests took at most,
// by the nearest-rank method; zero when there are none.
func (l Latencies) Percentile(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	// The epsilon keeps 0.99 × 100 (99.00000000000001 in floating point) at rank 99.
	rank := int(math.Ceil(p*float64(len(s)) - 1e-9))
	return s[min(max(rank, 1), len(s))-1]
}

// Ms is a duration in milliseconds, the unit latency figures are reported in.
func Ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
