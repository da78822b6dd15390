package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"disputed/internal/app"
	"disputed/internal/fault"
	"disputed/internal/fees"
	"disputed/internal/money"
	"disputed/internal/store"
)

// feesForm is the fee table and the handling cost as the settings form shows them: one row of
// inputs per fee table row, amounts as decimals, and an empty row to add one.
type feesForm struct {
	// Shown says the posted form had the fieldset; one posted by something other than the page
	// keeps the fees as they are.
	Shown bool
	// Own says the merchant's rows are in force; off, the published table is, and its rows are
	// shown to start one's own from.
	Own           bool
	Version, Date string // the table in force
	Rows          []feeRowForm
	HandlingCost  string // decimal
	HandlingCurr  string
}

// feeRowForm is one row, as typed.
type feeRowForm struct {
	Provider, Network, Currency, EffectiveFrom string
	DisputeFee, CounterFee, ArbitrationFee     string // decimals
	CounterRefunded, DisputeRefunded           bool
	Source                                     string
}

func feesFormOf(s store.Settings) feesForm {
	t := app.EffectiveFeeTable(s)
	h := app.EffectiveHandlingCost(s)
	f := feesForm{Shown: true, Own: s.FeeTable != nil, Version: t.Version, Date: t.Date, HandlingCost: decimalOf(h.Amount, h.Currency), HandlingCurr: h.Currency}
	for _, r := range t.Rows {
		f.Rows = append(f.Rows, feeRowForm{Provider: r.Provider, Network: r.Network, Currency: r.Currency, EffectiveFrom: r.EffectiveFrom,
			DisputeFee: decimalOf(r.DisputeFee, r.Currency), CounterFee: decimalOf(r.CounterFee, r.Currency),
			ArbitrationFee: decimalOf(r.ArbitrationFee, r.Currency), CounterRefunded: r.CounterFeeRefundedOnWin,
			DisputeRefunded: r.DisputeFeeRefundedOnWin, Source: r.Source})
	}
	f.Rows = append(f.Rows, feeRowForm{})
	return f
}

func decimalOf(minor int64, currency string) string {
	d, err := money.FormatDecimal(minor, currency)
	if err != nil {
		return strconv.FormatInt(minor, 10)
	}
	return d
}

// feesPosted reads the fieldset: the rows in order but those ticked for removal or left empty.
func feesPosted(r *http.Request) feesForm {
	v := r.PostForm
	f := feesForm{Shown: r.PostFormValue("fees_shown") == "yes", Own: r.PostFormValue("fee_table_own") == "yes", HandlingCost: r.PostFormValue("handling_cost"),
		HandlingCurr: r.PostFormValue("handling_cost_currency")}
	at := func(name string, i int) string {
		if i < len(v[name]) {
			return strings.TrimSpace(v[name][i])
		}
		return ""
	}
	for i := range v["fee_provider"] {
		row := feeRowForm{Provider: at("fee_provider", i), Network: at("fee_network", i), Currency: at("fee_currency", i),
			EffectiveFrom: at("fee_effective_from", i), DisputeFee: at("fee_dispute", i), CounterFee: at("fee_counter", i),
			ArbitrationFee: at("fee_arbitration", i), Source: at("fee_source", i),
			CounterRefunded: slices.Contains(v["fee_counter_refunded"], strconv.Itoa(i)),
			DisputeRefunded: slices.Contains(v["fee_dispute_refunded"], strconv.Itoa(i))}
		if row.Provider == "" || slices.Contains(v["fee_remove"], strconv.Itoa(i)) {
			continue
		}
		f.Rows = append(f.Rows, row)
	}
	f.Rows = append(f.Rows, feeRowForm{})
	return f
}

// params are the fieldset as the use case's parameters: the merchant's rows, or the published
// table again; amounts read in their row's currency and named as the API names them.
func (f feesForm) params() (*[]fees.Row, *fees.Cost, error) {
	if !f.Shown {
		return nil, nil, nil
	}
	cur, err := money.ParseCurrency(f.HandlingCurr)
	if err != nil {
		return nil, nil, fault.Invalidf(fault.CodeUnknownCurrency, "handling_cost.currency", "%v", err)
	}
	h, err := money.ParseDecimal(f.HandlingCost, cur)
	if err != nil {
		return nil, nil, fault.Invalidf(fault.CodeInvalidAmount, "handling_cost.amount", "%v", err)
	}
	cost := &fees.Cost{Amount: h, Currency: cur}
	if !f.Own {
		var published []fees.Row
		return &published, cost, nil
	}
	rows := []fees.Row{}
	for i, r := range f.Rows {
		if r.Provider == "" {
			continue
		}
		c, err := money.ParseCurrency(r.Currency)
		if err != nil {
			return nil, nil, fault.Invalidf(fault.CodeUnknownCurrency, fmt.Sprintf("fee_table[%d].currency", i), "%v", err)
		}
		row := fees.Row{Provider: r.Provider, Network: r.Network, Currency: c, EffectiveFrom: r.EffectiveFrom, Source: r.Source,
			CounterFeeRefundedOnWin: r.CounterRefunded, DisputeFeeRefundedOnWin: r.DisputeRefunded}
		for _, a := range []struct {
			name, value string
			to          *int64
		}{{"dispute_fee", r.DisputeFee, &row.DisputeFee}, {"counter_fee", r.CounterFee, &row.CounterFee}, {"arbitration_fee", r.ArbitrationFee, &row.ArbitrationFee}} {
			if a.value == "" {
				continue
			}
			if *a.to, err = money.ParseDecimal(a.value, c); err != nil {
				return nil, nil, fault.Invalidf(fault.CodeInvalidAmount, fmt.Sprintf("fee_table[%d].%s", i, a.name), "%v", err)
			}
		}
		rows = append(rows, row)
	}
	return &rows, cost, nil
}
