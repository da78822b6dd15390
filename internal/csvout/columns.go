package csvout

import (
	"strconv"
	"time"

	"disputed/internal/money"
)

// Column is one column of an export: its header, the JSON name of the field it shows, and how a
// row's value is written.
type Column[T any] struct {
	Name string
	Cell func(T) string
}

// Header is the header row of columns.
func Header[T any](columns []Column[T]) []string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = c.Name
	}
	return out
}

// Cells writes v's row of columns into row (reused from row to row, grown when short).
func Cells[T any](columns []Column[T], v T, row []string) []string {
	row = row[:0]
	for _, c := range columns {
		row = append(row, c.Cell(v))
	}
	return row
}

// Amounts are written twice, as the JSON objects give them: amount, an integer of minor units
// (1295 for 12.95 USD, which sums exactly), and amount_decimal in the currency's own decimals
// (12.95, which reads as money), with currency in a column of its own so that a sheet never adds
// euros to dollars unawares. Neither carries a currency sign, so both stay numbers.

func minor(v int64) string { return strconv.FormatInt(v, 10) }

func decimal(minor int64, currency string) string {
	s, err := money.FormatDecimal(minor, currency)
	if err != nil {
		return "" // a currency the table lacks: the minor units still say it
	}
	return s
}

// timestamp is t as the JSON gives it (RFC 3339 in UTC), empty for a time never set.
func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
