package web

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"disputed/internal/dispute"
)

// feeLine is one fee as the dispute page shows it: "15.00 USD (Stripe dispute fee)".
type feeLine struct {
	Amount   int64
	Currency string
	Label    string
}

// providerNames are the provider types as merchants know them.
var providerNames = map[string]string{"stripe": "Stripe", "paypal": "PayPal"}

// feeLines says who charged each fee and what for: the provider's name before its own words,
// unless its words already start with it (Stripe's unitemised "Stripe fee").
func feeLines(fees []dispute.Fee, providerType, providerName string) []feeLine {
	who := providerNames[providerType]
	if who == "" {
		who = providerName
	}
	out := make([]feeLine, 0, len(fees))
	for _, f := range fees {
		label := f.Description
		if who != "" && !strings.HasPrefix(strings.ToLower(label), strings.ToLower(who)) {
			label = who + " " + lowerFirst(label)
		}
		out = append(out, feeLine{Amount: f.Amount, Currency: f.Currency, Label: label})
	}
	return out
}

// lowerFirst lower-cases the first letter: "Dispute fee" reads "dispute fee" after a name.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
