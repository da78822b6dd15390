// Package coverletter drafts the letter that heads a dispute's evidence packet: who the merchant
// is, the transaction, the customer's claim, and the rebuttal point by point, each point naming the
// exhibit that proves it. The drafts come from templates shipped in the binary, one per evidence
// category (templates/, versioned in manifest.json); the merchant edits the text before it is
// submitted. The package only renders: gathering the facts is the caller's work.
package coverletter

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"text/template"
	"time"
)

//go:embed manifest.json templates/*.tmpl
var files embed.FS

// Categories are the evidence categories a letter has a body for (Stripe's buckets); any other
// category is written as "general".
var Categories = []string{
	"credit_not_processed", "duplicate", "fraudulent", "general", "noncompliant",
	"product_not_received", "product_unacceptable", "subscription_canceled", "unrecognized",
}

// Facts are what a letter says. Empty facts are left out of the text, never written as blanks.
type Facts struct {
	Category string // the dispute's evidence category
	Date     time.Time
	Merchant Merchant
	Case     Case
	// Transaction is the disputed payment.
	Transaction Transaction
	Customer    Customer
	Order       Order
	// Purchase is a sentence on how the purchase was made (IP address, device, account).
	Purchase string
	// Shipping is a sentence on the delivery (carrier, tracking number, address).
	Shipping string
	// ServiceDates says when the service ran ("from 3 March 2026 to 2 April 2026").
	ServiceDates string
	// Activity sums up the customer's use of the service after the purchase.
	Activity           string
	RefundPolicy       string
	CancellationPolicy string
	// Duplicates names the other payment(s) a duplicate claim points at.
	Duplicates string
	Exhibits   []Exhibit
}

// Merchant is who writes.
type Merchant struct {
	Name, Website, SupportEmail, SupportPhone, TermsURL string
	Descriptor                                          string // how the payment appears on a statement
}

// Case identifies the dispute.
type Case struct {
	ID, ProviderID, CaseNumber string
	Provider                   string // "Stripe", "PayPal"
	NetworkName                string // "Visa"
	ReasonCode, ReasonName     string
	Amount                     string // formatted with its currency
}

// Transaction is the disputed payment.
type Transaction struct {
	Reference string
	Date      time.Time
	Card      string // "Visa ending in 4242"
}

// Customer is the buyer as the merchant knows them.
type Customer struct{ Name, Email string }

// Order is what was bought.
type Order struct {
	ID       string
	Items    []string
	PlacedOn time.Time
}

// Exhibit is one attachment the letter points to.
type Exhibit struct {
	Mark   string // "A", "B", …
	Label  string
	Proves string // what it shows, one sentence
}

type manifest struct {
	Version string `json:"version"`
}

var (
	letters = template.Must(template.New("").Funcs(template.FuncMap{
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format("2 January 2006")
		},
		"list": joinList,
	}).ParseFS(files, "templates/*.tmpl"))
	version = mustVersion()
)

func mustVersion() string {
	data, err := files.ReadFile("manifest.json")
	if err != nil {
		panic(err)
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil || m.Version == "" {
		panic(fmt.Sprintf("coverletter: manifest.json: no version (%v)", err))
	}
	return m.Version
}

// Version is the templates' version, recorded with a letter so that a draft can be traced to the
// words it started from.
func Version() string { return version }

// Draft renders the first draft of a letter. The text is plain (no markup), with blank lines
// between paragraphs and no line longer than a sentence needs: the packet wraps it.
func Draft(f Facts) string {
	if !known(f.Category) {
		f.Category = "general"
	}
	// The templates are in the binary and tested for every category: an error is a bug.
	var body, letter bytes.Buffer
	if err := letters.ExecuteTemplate(&body, "body_"+f.Category, f); err != nil {
		panic(fmt.Sprintf("coverletter: %s: %v", f.Category, err))
	}
	withBody := struct {
		Facts
		Body string
	}{f, strings.TrimSpace(body.String())}
	if err := letters.ExecuteTemplate(&letter, "letter", withBody); err != nil {
		panic(fmt.Sprintf("coverletter: %s: %v", f.Category, err))
	}
	return tidy(letter.String())
}

// Mark is the letter of the exhibit at index i: A … Z, then AA, AB, ….
func Mark(i int) string {
	if i < 26 {
		return string(rune('A' + i))
	}
	return Mark(i/26-1) + Mark(i%26)
}

func known(category string) bool {
	for _, c := range Categories {
		if c == category {
			return true
		}
	}
	return false
}

// joinList writes items as a sentence lists them: "a", "a and b", "a, b and c".
func joinList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// tidy trims each line's trailing spaces and keeps at most one blank line between paragraphs,
// since leaving out empty facts can leave gaps in the template's text.
func tidy(s string) string {
	var out []string
	blank := true
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimRight(line, " ")
		if line == "" {
			if !blank {
				out = append(out, "")
			}
			blank = true
			continue
		}
		out = append(out, line)
		blank = false
	}
	return strings.TrimSpace(strings.Join(out, "\n")) + "\n"
}
