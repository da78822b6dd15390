package csvout

import (
	"strconv"
	"strings"
)

// OutcomeRow is one line of an outcome report's export: a group's counts with its money in one
// currency, either as the disputes were in it or converted into the reporting currency.
type OutcomeRow struct {
	Total                         bool              // the period's total, not a group
	Key                           map[string]string // dimension -> value, as the JSON's key
	Disputes, Won, Lost, Accepted int64
	WinRate                       float64
	MedianResponseSeconds         *int64
	Reporting                     bool // the amounts are the group's converted into Currency
	Currency                      string
	Disputed, Recovered           int64
	AmountLost, Fees, Net         int64
	MissingRates                  []string // Reporting: the currencies left out for want of a rate
}

// OutcomeColumns are the columns of an outcome report's export: a column per dimension of dims
// (empty where the report does not group by it), so that a sheet filters them as the JSON's
// keys; the counts repeated on each of a group's lines, one line per currency the disputes were
// in and one in the reporting currency (amounts: reporting), each amount in minor units and in
// decimals as the other exports write them.
func OutcomeColumns(dims []string) []Column[OutcomeRow] {
	cols := []Column[OutcomeRow]{{"row", func(r OutcomeRow) string {
		if r.Total {
			return "total"
		}
		return "group"
	}}}
	for _, d := range dims {
		cols = append(cols, Column[OutcomeRow]{d, func(r OutcomeRow) string { return r.Key[d] }})
	}
	cols = append(cols,
		Column[OutcomeRow]{"disputes", func(r OutcomeRow) string { return minor(r.Disputes) }},
		Column[OutcomeRow]{"won", func(r OutcomeRow) string { return minor(r.Won) }},
		Column[OutcomeRow]{"lost", func(r OutcomeRow) string { return minor(r.Lost) }},
		Column[OutcomeRow]{"accepted", func(r OutcomeRow) string { return minor(r.Accepted) }},
		Column[OutcomeRow]{"win_rate", func(r OutcomeRow) string { return strconv.FormatFloat(r.WinRate, 'f', -1, 64) }},
		Column[OutcomeRow]{"median_response_seconds", func(r OutcomeRow) string {
			if r.MedianResponseSeconds == nil {
				return ""
			}
			return minor(*r.MedianResponseSeconds)
		}},
		Column[OutcomeRow]{"amounts", func(r OutcomeRow) string {
			if r.Reporting {
				return "reporting"
			}
			return "currency"
		}},
		Column[OutcomeRow]{"currency", func(r OutcomeRow) string { return r.Currency }},
	)
	for _, a := range []struct {
		name  string
		value func(OutcomeRow) int64
	}{
		{"disputed", func(r OutcomeRow) int64 { return r.Disputed }},
		{"recovered", func(r OutcomeRow) int64 { return r.Recovered }},
		{"amount_lost", func(r OutcomeRow) int64 { return r.AmountLost }},
		{"fees", func(r OutcomeRow) int64 { return r.Fees }},
		{"net", func(r OutcomeRow) int64 { return r.Net }},
	} {
		cols = append(cols,
			Column[OutcomeRow]{a.name, func(r OutcomeRow) string { return minor(a.value(r)) }},
			Column[OutcomeRow]{a.name + "_decimal", func(r OutcomeRow) string { return decimal(a.value(r), r.Currency) }})
	}
	return append(cols, Column[OutcomeRow]{"missing_rates", func(r OutcomeRow) string { return strings.Join(r.MissingRates, " ") }})
}
