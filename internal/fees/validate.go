package fees

import (
	"fmt"
	"strings"
	"time"

	"disputed/internal/fault"
	"disputed/internal/money"
)

// maxRows bounds a merchant's own table: a few providers, networks and currencies, each with a
// few dated rows, not a data dump.
const maxRows = 200

// Normalize checks the merchant's own rows (named param[i].field in errors) and returns them
// with provider and network in lower case and the currency in upper case.
func Normalize(param string, rows []Row) ([]Row, error) {
	if len(rows) > maxRows {
		return nil, fault.Invalidf(fault.CodeInvalidValue, param, "%s has %d rows; at most %d", param, len(rows), maxRows)
	}
	out := make([]Row, len(rows))
	for i, r := range rows {
		at := func(field string) string { return fmt.Sprintf("%s[%d].%s", param, i, field) }
		r.Provider, r.Network = strings.ToLower(strings.TrimSpace(r.Provider)), strings.ToLower(strings.TrimSpace(r.Network))
		if r.Provider == "" || len(r.Provider) > 40 {
			return nil, fault.Invalidf(fault.CodeInvalidValue, at("provider"), "%s must name a provider type (stripe, paypal, generic, manual)", at("provider"))
		}
		if len(r.Network) > 40 {
			return nil, fault.Invalidf(fault.CodeInvalidValue, at("network"), "%s is longer than 40 characters", at("network"))
		}
		code, err := money.ParseCurrency(r.Currency)
		if err != nil {
			return nil, fault.Invalidf(fault.CodeUnknownCurrency, at("currency"), "%s: %v", at("currency"), err)
		}
		r.Currency = code
		if _, err := time.Parse(time.DateOnly, r.EffectiveFrom); err != nil {
			return nil, fault.Invalidf(fault.CodeInvalidValue, at("effective_from"), "%s must be a date such as 2025-06-17", at("effective_from"))
		}
		for _, f := range []struct {
			name   string
			amount int64
		}{{"dispute_fee", r.DisputeFee}, {"counter_fee", r.CounterFee}, {"arbitration_fee", r.ArbitrationFee}} {
			if f.amount < 0 || f.amount > maxFee {
				return nil, fault.Invalidf(fault.CodeInvalidAmount, at(f.name), "%s must be between 0 and %d minor units", at(f.name), int64(maxFee))
			}
		}
		if len(r.Source) > 500 {
			return nil, fault.Invalidf(fault.CodeInvalidValue, at("source"), "%s is longer than 500 characters", at("source"))
		}
		for j := range i {
			if p := out[j]; p.Provider == r.Provider && p.Network == r.Network && p.Currency == r.Currency && p.EffectiveFrom == r.EffectiveFrom {
				return nil, fault.Invalidf(fault.CodeInvalidValue, at("effective_from"), "%s repeats row %d's provider, network, currency and date", param+fmt.Sprintf("[%d]", i), j)
			}
		}
		out[i] = r
	}
	return out, nil
}

// maxFee bounds one fee (a million in major units of a two-decimal currency): a larger one is a
// typing mistake, and bounding it keeps every sum of fees far from overflowing.
const maxFee = 100_000_000

// CheckCost checks a handling cost (named param in errors) and returns it with its currency in
// upper case.
func CheckCost(param string, c Cost) (Cost, error) {
	code, err := money.ParseCurrency(c.Currency)
	if err != nil {
		return Cost{}, fault.Invalidf(fault.CodeUnknownCurrency, param+".currency", "%s.currency: %v", param, err)
	}
	if c.Amount < 0 || c.Amount > maxFee {
		return Cost{}, fault.Invalidf(fault.CodeInvalidAmount, param+".amount", "%s.amount must be between 0 and %d minor units", param, int64(maxFee))
	}
	return Cost{Amount: c.Amount, Currency: code}, nil
}
