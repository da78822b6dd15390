// Package monitoring judges a merchant's dispute ratios against the card networks' monitoring
// programs: Visa's VAMP and Mastercard's Excessive Chargeback Program. How each program counts
// (which events, over which sales) is code, Programs; its thresholds change with the world, so
// they ship as data, programs.json, versioned and sourced, and the merchant may replace them (the
// settings' monitoring_programs). Nothing here does I/O beyond reading the embed.
package monitoring

import (
	"cmp"
	_ "embed"
	"encoding/json"
	"slices"
	"sync"
)

//go:embed programs.json
var programsJSON []byte

// Program is how one network's program counts a month.
type Program struct {
	Network string // the card network: visa, mastercard
	Name    string // vamp, ecp
	// FraudReports: the numerator adds the month's fraud reports (TC40, SAFE) to its disputes.
	FraudReports bool
	// CardNotPresentOnly: the denominator is the month's card-not-present sales only.
	CardNotPresentOnly bool
	// PreviousMonthSales: the denominator is the previous month's sales, not the month's own.
	PreviousMonthSales bool
}

// Programs are the programs disputed measures. Visa's VAMP divides the month's disputes and
// fraud reports by its Visa card-not-present sales; Mastercard's ECP divides the month's
// chargebacks by the previous month's Mastercard sales (S-MON, intelligence.md §3).
var Programs = []Program{
	{Network: "visa", Name: "vamp", FraudReports: true, CardNotPresentOnly: true},
	{Network: "mastercard", Name: "ecp", PreviousMonthSales: true},
}

// ProgramOf returns the program of network and name.
func ProgramOf(network, name string) (Program, bool) {
	for _, p := range Programs {
		if p.Network == network && p.Name == name {
			return p, true
		}
	}
	return Program{}, false
}

// Row is one tier of one program, in force from Effective until a later row of the same network,
// program and tier.
type Row struct {
	Network   string  `json:"network"`
	Program   string  `json:"program"`
	Tier      string  `json:"tier"`
	Ratio     float64 `json:"ratio"` // a fraction: 0.015 is 1.5 %
	MinCount  int64   `json:"min_count"`
	Effective string  `json:"effective"` // YYYY-MM-DD
	Source    string  `json:"source"`
}

// Table is a set of rows with what identifies it: the shipped file's version and date, or the
// merchant's own rows ("settings" and the day they were saved).
type Table struct {
	Version string `json:"version"`
	Date    string `json:"date"`
	Rows    []Row  `json:"rows"`
}

// file is programs.json as written.
type file struct {
	Table
	About   string            `json:"about"`
	Sources map[string]string `json:"sources"`
}

// load parses the embedded file once. The file is part of the binary, so one that does not parse
// is a build that must not run: it panics; its contents are checked by the tests.
var load = sync.OnceValue(func() file {
	var f file
	if err := json.Unmarshal(programsJSON, &f); err != nil {
		panic("monitoring: the embedded programs.json does not parse: " + err.Error())
	}
	return f
})

// Default is the shipped table. Its rows are shared: callers must not change them.
func Default() Table { return load().Table }

// Threshold is one tier of a program in force in a month.
type Threshold struct {
	Tier      string  // e.g. "excessive", "ecm", "hecm"
	Ratio     float64 // a fraction: 0.015 is 1.5 %
	MinCount  int64   // the count floor that must also be met (0: none)
	Effective string  // YYYY-MM-DD the row applies from
	Source    string
}

// InForce returns the thresholds of p in force in the month starting on first (YYYY-MM-DD): per
// tier, the row with the latest effective date on or before it; lowest ratio first.
func (t Table) InForce(p Program, first string) []Threshold {
	latest := map[string]Row{}
	var tiers []string
	for _, r := range t.Rows {
		if r.Network != p.Network || r.Program != p.Name || r.Effective > first {
			continue
		}
		prev, seen := latest[r.Tier]
		if !seen {
			tiers = append(tiers, r.Tier)
		}
		if !seen || r.Effective >= prev.Effective {
			latest[r.Tier] = r
		}
	}
	out := make([]Threshold, 0, len(tiers))
	for _, tier := range tiers {
		r := latest[tier]
		out = append(out, Threshold{Tier: r.Tier, Ratio: r.Ratio, MinCount: r.MinCount, Effective: r.Effective, Source: r.Source})
	}
	slices.SortStableFunc(out, func(a, b Threshold) int { return cmp.Compare(a.Ratio, b.Ratio) })
	return out
}
