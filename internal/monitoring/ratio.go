package monitoring

import (
	"math"
	"time"

	"disputed/internal/fault"
)

// Status is where a ratio stands against its program.
type Status string

// The statuses.
const (
	StatusOK          Status = "ok"
	StatusApproaching Status = "approaching"
	StatusExcessive   Status = "excessive"
)

// DefaultApproach is the fraction of the lowest tier's ratio at which a ratio is approaching it,
// until the merchant says (settings monitoring_approach). Acquirers act before the network does,
// often near 1 % (intelligence.md §3.4), so the warning comes early.
const DefaultApproach = 0.75

// Ratio is one program's ratio for one month.
type Ratio struct {
	Network      string // "visa", "mastercard", ...
	Program      string // "vamp", "ecp", ...
	Month        string // YYYY-MM
	Disputes     int64
	FraudReports int64
	Transactions int64       // the denominator (for ECP: the previous month's)
	Ratio        float64     // fraction; 0 when Transactions is 0
	Thresholds   []Threshold // in force that month, lowest first
	Status       Status
	Projected    *Projection // the current month only: projected to its end from its pace
}

// Projection is a month's ratio projected to the month's end from its pace so far.
type Projection struct {
	Disputes, FraudReports, Transactions int64
	Ratio                                float64
	Status                               Status
}

// Counts are what a program counts in a month.
type Counts struct {
	Disputes     int64 // chargebacks past the inquiry stage
	FraudReports int64 // TC40 and SAFE alerts; counted only by a program that says so
	Transactions int64 // the sales the program divides by
}

// Measure computes p's ratio for month (YYYY-MM) from its counts, judged against thresholds
// with approach (0 < approach < 1) of the lowest tier's ratio as the warning.
func Measure(p Program, month string, c Counts, thresholds []Threshold, approach float64) Ratio {
	if !p.FraudReports {
		c.FraudReports = 0
	}
	ratio, status := judge(c, thresholds, approach)
	return Ratio{Network: p.Network, Program: p.Name, Month: month, Disputes: c.Disputes, FraudReports: c.FraudReports,
		Transactions: c.Transactions, Ratio: ratio, Thresholds: thresholds, Status: status}
}

// Project sets r.Projected: the month's own counts scaled to its whole length from the part
// that has passed (elapsed of length), the previous month's sales of a program dividing by them
// kept as they are.
func (r *Ratio) Project(p Program, elapsed, length time.Duration, approach float64) {
	scale := func(n int64) int64 {
		if elapsed <= 0 || elapsed >= length {
			return n
		}
		return int64(math.Round(float64(n) * float64(length) / float64(elapsed)))
	}
	c := Counts{Disputes: scale(r.Disputes), FraudReports: scale(r.FraudReports), Transactions: r.Transactions}
	if !p.PreviousMonthSales {
		c.Transactions = scale(r.Transactions)
	}
	ratio, status := judge(c, r.Thresholds, approach)
	r.Projected = &Projection{Disputes: c.Disputes, FraudReports: c.FraudReports, Transactions: c.Transactions,
		Ratio: ratio, Status: status}
}

// judge is the ratio of c and its status: excessive when some tier's ratio and count floor are
// both met; approaching when the ratio reaches approach of the lowest tier's ratio, whatever the
// count (an acquirer acts on the ratio before the network's floor is reached); else ok.
func judge(c Counts, thresholds []Threshold, approach float64) (float64, Status) {
	if c.Transactions <= 0 {
		return 0, StatusOK
	}
	events := c.Disputes + c.FraudReports
	ratio := float64(events) / float64(c.Transactions)
	for _, t := range thresholds {
		if ratio >= t.Ratio && events >= t.MinCount {
			return ratio, StatusExcessive
		}
	}
	if len(thresholds) > 0 && ratio >= approach*thresholds[0].Ratio {
		return ratio, StatusApproaching
	}
	return ratio, StatusOK
}

// ParseMonth reads a month, YYYY-MM, as the instant it starts (UTC); errors name param.
func ParseMonth(param, s string) (time.Time, error) {
	m, err := time.Parse("2006-01", s)
	if err != nil {
		return time.Time{}, fault.Invalidf(fault.CodeInvalidValue, param, "%s must be a month such as 2026-04", param)
	}
	return m, nil
}
