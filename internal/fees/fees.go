// Package fees is what payment providers charge a merchant for a dispute: the fee for receiving
// one, the fee for countering it (and whether a win gives it back) and the network's arbitration
// fee. Fees change with the world, so they ship as data, fees.json, versioned and sourced, and
// the merchant may replace its rows with its own (the settings' fee_table). Nothing here does I/O
// beyond reading the embed.
package fees

import (
	_ "embed"
	"encoding/json"
	"strings"
	"sync"
	"time"
)

//go:embed fees.json
var feesJSON []byte

// Row is what one provider type charges on one network ("" for any) in one currency, from
// EffectiveFrom until a later row of the same provider, network and currency. Amounts are minor
// units of Currency.
type Row struct {
	Provider      string `json:"provider"` // provider type: stripe, paypal, generic, manual
	Network       string `json:"network"`  // visa, mastercard, ...; "" for any
	Currency      string `json:"currency"` // ISO 4217, upper case
	EffectiveFrom string `json:"effective_from"`
	// DisputeFee is charged when the dispute is received, won or lost, unless
	// DisputeFeeRefundedOnWin.
	DisputeFee              int64 `json:"dispute_fee"`
	DisputeFeeRefundedOnWin bool  `json:"dispute_fee_refunded_on_win"`
	// CounterFee is charged when the merchant first submits evidence, given back on a win when
	// CounterFeeRefundedOnWin.
	CounterFee              int64 `json:"counter_fee"`
	CounterFeeRefundedOnWin bool  `json:"counter_fee_refunded_on_win"`
	// ArbitrationFee is the network's fee to take a case to arbitration, borne by the loser.
	ArbitrationFee int64  `json:"arbitration_fee"`
	Source         string `json:"source"`
	Confidence     string `json:"confidence"` // H, M, L as in the research; "" for the merchant's own rows
	// Estimate marks an amount no primary source confirms.
	Estimate bool `json:"estimate"`
}

// Table is a set of rows with what identifies it: the shipped file's version and date, or the
// merchant's own rows ("settings" and the day they were saved).
type Table struct {
	Version string `json:"version"`
	Date    string `json:"date"`
	Rows    []Row  `json:"rows"`
}

// Schedule is the row in force for one dispute, with the table it came from.
type Schedule struct {
	Row
	Version string
	Date    string
}

// Cost is an amount in a currency.
type Cost struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// file is fees.json as written.
type file struct {
	Table
	About        string            `json:"about"`
	Sources      map[string]string `json:"sources"`
	HandlingCost struct {
		Cost
		Note string `json:"note"`
	} `json:"handling_cost"`
}

// load parses the embedded file once. The file is part of the binary, so one that does not parse
// is a build that must not run: it panics; its contents are checked by the tests.
var load = sync.OnceValue(func() file {
	var f file
	if err := json.Unmarshal(feesJSON, &f); err != nil {
		panic("fees: the embedded fees.json does not parse: " + err.Error())
	}
	return f
})

// Default is the shipped table. Its rows are shared: callers must not change them.
func Default() Table { return load().Table }

// DefaultHandlingCost is what a fight costs the merchant until it says (see fees.json).
func DefaultHandlingCost() Cost { return load().HandlingCost.Cost }

// Lookup finds the shipped row in force for a dispute; see Table.Lookup.
func Lookup(provider, network, currency string, at time.Time) (Schedule, bool) {
	return Default().Lookup(provider, network, currency, at)
}

// Lookup finds the row in force at at for a dispute on provider type provider and network
// network ("" when none is known) in currency. A row of the dispute's network is preferred to a
// row for any network, and a row of the dispute's currency to one of another: a provider charges
// its fee in the merchant's settlement currency, which need not be the dispute's, so without a
// row of the dispute's currency the provider's first-listed currency stands (convert it to
// compare). It reports false when the table has no row for the provider in force at at.
func (t Table) Lookup(provider, network, currency string, at time.Time) (Schedule, bool) {
	day := at.UTC().Format(time.DateOnly)
	fallback := ""
	for _, r := range t.Rows {
		if strings.EqualFold(r.Provider, provider) && fallback == "" {
			fallback = r.Currency
		}
	}
	for _, want := range []struct{ network, currency string }{
		{network, currency}, {"", currency}, {network, fallback}, {"", fallback},
	} {
		best := -1
		for i, r := range t.Rows {
			if strings.EqualFold(r.Provider, provider) && strings.EqualFold(r.Network, want.network) &&
				r.Currency == want.currency && r.EffectiveFrom <= day &&
				(best < 0 || r.EffectiveFrom >= t.Rows[best].EffectiveFrom) {
				best = i
			}
		}
		if best >= 0 {
			return Schedule{Row: t.Rows[best], Version: t.Version, Date: t.Date}, true
		}
	}
	return Schedule{}, false
}
