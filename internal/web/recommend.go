package web

import (
	"fmt"

	"disputed/internal/decide"
)

// advice is a recommendation as the dispute page and the list show it.
type advice struct {
	Action   string // Fight, Accept, Refund
	Class    string // the chip's class
	Odds     string // "31 %"
	EV       int64  // minor units of Currency
	Currency string
	Text     string // the basis in words
}

// adviceOf presents r; nil when it does not apply.
func adviceOf(r decide.Recommendation, ok bool) *advice {
	if !ok || !r.Applies {
		return nil
	}
	a := &advice{Odds: fmt.Sprintf("%.0f %%", 100*r.PWin), EV: r.ExpectedValue, Currency: r.Currency, Text: r.Basis.Text}
	switch r.Action {
	case decide.Fight:
		a.Action, a.Class = "Fight", "status good"
	case decide.Refund:
		a.Action, a.Class = "Refund", "status act"
	default:
		a.Action, a.Class = "Accept", "status neutral"
	}
	return a
}
