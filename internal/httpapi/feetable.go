package httpapi

import (
	"disputed/internal/app"
	"disputed/internal/fees"
	"disputed/internal/store"
)

// FeeRow is one row of a fee table: what one provider type charges on one network in one
// currency from a date (internal/fees).
type FeeRow struct {
	Provider                string `json:"provider" doc:"the provider type: stripe, paypal, generic, manual (a dispute without a provider: \"\" is not a type; use manual)"`
	Network                 string `json:"network" doc:"visa, mastercard, amex, discover...; \"\" for any network (a row of the dispute's network is preferred)"`
	Currency                string `json:"currency" doc:"ISO 4217 code of the amounts; a dispute in another currency uses the provider's first-listed currency, converted with the exchange rates recorded"`
	EffectiveFrom           string `json:"effective_from" format:"date" doc:"the first day the row applies to disputes raised (YYYY-MM-DD); a later row of the same provider, network and currency replaces it"`
	DisputeFee              int64  `json:"dispute_fee" doc:"charged when a chargeback is received, minor units"`
	DisputeFeeRefundedOnWin bool   `json:"dispute_fee_refunded_on_win"`
	CounterFee              int64  `json:"counter_fee" doc:"charged when evidence is first submitted, minor units"`
	CounterFeeRefundedOnWin bool   `json:"counter_fee_refunded_on_win"`
	ArbitrationFee          int64  `json:"arbitration_fee" doc:"the network's fee to take a case to arbitration, minor units"`
	Source                  string `json:"source" doc:"where the figures come from"`
	Confidence              string `json:"confidence" doc:"H, M or L as in the research behind the shipped table; \"\" for the merchant's own"`
	Estimate                bool   `json:"estimate" doc:"no primary source confirms the amounts"`
}

// FeeTable is a fee table with what identifies it.
type FeeTable struct {
	Version string   `json:"version" doc:"the shipped table's version, or settings for the merchant's own"`
	Date    string   `json:"date" doc:"the shipped table's date, or the day the merchant's own was saved"`
	Rows    []FeeRow `json:"rows"`
}

// FeeRowIn is a row of the merchant's own fee table.
type FeeRowIn struct {
	Provider                string `json:"provider" maxLength:"40" doc:"the provider type: stripe, paypal, generic or manual"`
	Network                 string `json:"network,omitempty" maxLength:"40" doc:"a card network; empty for any"`
	Currency                string `json:"currency" doc:"ISO 4217, any case"`
	EffectiveFrom           string `json:"effective_from" doc:"YYYY-MM-DD"`
	DisputeFee              int64  `json:"dispute_fee,omitempty" doc:"minor units, 0 to 100000000"`
	DisputeFeeRefundedOnWin bool   `json:"dispute_fee_refunded_on_win,omitempty"`
	CounterFee              int64  `json:"counter_fee,omitempty" doc:"minor units, 0 to 100000000"`
	CounterFeeRefundedOnWin bool   `json:"counter_fee_refunded_on_win,omitempty"`
	ArbitrationFee          int64  `json:"arbitration_fee,omitempty" doc:"minor units, 0 to 100000000"`
	Source                  string `json:"source,omitempty" maxLength:"500"`
	Estimate                bool   `json:"estimate,omitempty"`
}

// feeRow is a row of the merchant's own fee table as the use case takes it.
func feeRow(r FeeRowIn) fees.Row {
	return fees.Row{Provider: r.Provider, Network: r.Network, Currency: r.Currency, EffectiveFrom: r.EffectiveFrom,
		DisputeFee: r.DisputeFee, DisputeFeeRefundedOnWin: r.DisputeFeeRefundedOnWin, CounterFee: r.CounterFee,
		CounterFeeRefundedOnWin: r.CounterFeeRefundedOnWin, ArbitrationFee: r.ArbitrationFee, Source: r.Source, Estimate: r.Estimate}
}

// Cost is an amount of money in a currency.
type Cost struct {
	Amount        int64  `json:"amount" doc:"minor units of currency"`
	AmountDecimal string `json:"amount_decimal"`
	Currency      string `json:"currency"`
}

// CostIn is an amount of money in a currency.
type CostIn struct {
	Amount   int64  `json:"amount" doc:"minor units of currency, 0 to 100000000"`
	Currency string `json:"currency" doc:"ISO 4217, any case"`
}

func feeTableOut(t fees.Table) FeeTable {
	out := FeeTable{Version: t.Version, Date: t.Date, Rows: make([]FeeRow, len(t.Rows))}
	for i, r := range t.Rows {
		out.Rows[i] = FeeRow(r)
	}
	return out
}

// feeSettingsOut fills the settings' fee table, the table in force and the handling cost.
func feeSettingsOut(out *Settings, s store.Settings) {
	if s.FeeTable != nil {
		t := feeTableOut(*s.FeeTable)
		out.FeeTable = &t
	}
	out.FeeTableInForce = feeTableOut(app.EffectiveFeeTable(s))
	h := app.EffectiveHandlingCost(s)
	out.HandlingCost = Cost{Amount: h.Amount, AmountDecimal: decimal(h.Amount, h.Currency), Currency: h.Currency}
}
