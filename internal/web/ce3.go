package web

import (
	"strings"
	"time"

	"disputed/internal/app"
	"disputed/internal/ce3"
)

// ce3Part is Visa Compelling Evidence 3.0 as the dispute page shows it: whether the dispute
// qualifies, what is missing, and the earlier charges that match, all in words.
type ce3Part struct {
	Qualified bool
	Missing   []string // sentences
	Priors    []ce3Prior
}

type ce3Prior struct {
	ID, Reference string
	At            time.Time
	Amount        int64
	Currency      string
	AgeDays       int
	Matching      string // the elements it matches on, in words
}

// elementWords name the data elements a prior charge matches on.
var elementWords = map[string]string{ce3.ElementIP: "IP address", ce3.ElementDevice: "device",
	ce3.ElementShipping: "shipping address", ce3.ElementEmail: "email", ce3.ElementAccountID: "account"}

// ce3Of is the page's part for v; nil when the rule does not apply.
func ce3Of(v *app.VisaCE3) *ce3Part {
	if v == nil || v.Status == ce3.NotQualified { // not a Visa 10.4: nothing to say on the page
		return nil
	}
	p := &ce3Part{Qualified: v.Status == ce3.Qualified}
	for _, m := range v.Missing {
		p.Missing = append(p.Missing, ce3.Explain(m))
	}
	for _, pr := range v.Priors {
		words := make([]string, len(pr.Matching))
		for i, e := range pr.Matching {
			words[i] = elementWords[e]
		}
		t := pr.Transaction
		p.Priors = append(p.Priors, ce3Prior{ID: t.ID, Reference: t.ProviderReference, At: t.CreatedAt, Amount: t.Amount,
			Currency: t.Currency, AgeDays: pr.AgeDays, Matching: strings.Join(words, ", ")})
	}
	return p
}
