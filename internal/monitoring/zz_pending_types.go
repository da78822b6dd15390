// Package monitoring holds the card networks' monitoring programs (Visa VAMP, Mastercard ECP):
// their ratios against the thresholds in force.
//
// This file is a temporary copy of the types p-ratios owns, so that the charts compile before
// the merge: the lead deletes it when merging p-ratios.
package monitoring

// Status is where a ratio stands against its program's thresholds.
type Status string

// The statuses of a ratio.
const (
	StatusOK          Status = "ok"
	StatusApproaching Status = "approaching"
	StatusExcessive   Status = "excessive"
)

// Threshold is one tier of a program, in force from Effective.
type Threshold struct {
	Tier      string  // e.g. "excessive", "ecm", "hecm"
	Ratio     float64 // a fraction: 0.015 is 1.5 %
	MinCount  int64   // the count floor that must also be met (0: none)
	Effective string  // YYYY-MM-DD the row applies from
	Source    string
}

// Ratio is one network's program ratio for a month.
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

// Projection is the current month's ratio projected to its end from its pace.
type Projection struct {
	Disputes, FraudReports, Transactions int64
	Ratio                                float64
	Status                               Status
}
