package app

import (
	"testing"

	"disputed/internal/fault"
	"disputed/internal/store"
)

// TestOffsetWithin: a page read by offset is answered while it starts within the bound of rows
// a list reads and refused from the row past it, 422 invalid_value naming page, in words that
// point to the cursors when the list has them.
func TestOffsetWithin(t *testing.T) {
	a := &App{listReadAtMost: 20_000}
	if err := a.OffsetWithin(store.Page{Limit: 100, Offset: 19_999}, true); err != nil {
		t.Errorf("a page starting at the 20,000th row: %v, want it answered", err)
	}
	for _, c := range []struct {
		cursors bool
		want    string
	}{
		{true, "the page starts past the 20,000th row; narrow the list with its filters, or read on with next_cursor rather than page numbers"},
		{false, "the page starts past the 20,000th row"},
	} {
		err := a.OffsetWithin(store.Page{Limit: 100, Offset: 20_000}, c.cursors)
		f, ok := fault.As(err)
		if !ok || f.Kind != fault.Invalid || f.Code != fault.CodeInvalidValue || f.Param != "page" || f.Message != c.want {
			t.Errorf("a page starting past the 20,000th row (cursors %v): %v, want 422 invalid_value naming page: %q", c.cursors, err, c.want)
		}
	}
	for n, want := range map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st",
		112: "112th", 1_000: "1,000th", 20_000: "20,000th", 1_234_567: "1,234,567th"} {
		if got := ordinal(n); got != want {
			t.Errorf("ordinal(%d) = %q, want %q", n, got, want)
		}
	}
}
