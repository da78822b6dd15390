// Package ce3 decides whether a Visa 10.4 dispute qualifies for Visa Compelling Evidence 3.0: two
// earlier charges on the same card, settled 120 to 365 days before the disputed one, neither
// disputed nor reported as fraud, each matching the disputed charge on two of the core data
// elements, one of them the IP address or the device. When it qualifies, the issuer's fraud claim
// fails and the liability goes back to the issuer. The rule set is Visa's as Stripe states it
// (intelligence.md §2.1, §2.2); finding the card's earlier charges is the caller's work.
package ce3

import (
	"slices"
	"strings"
	"time"
)

// Status is where a dispute stands against the rule, in Stripe's words.
type Status string

// Statuses.
const (
	Qualified      Status = "qualified"
	RequiresAction Status = "requires_action"
	NotQualified   Status = "not_qualified"
)

// What is missing, in Stripe's required_actions words, so that both read the same.
const (
	MissingCustomerIdentifiers         = "missing_customer_identifiers"
	MissingDescription                 = "missing_disputed_transaction_description"
	MissingMerchandiseOrServices       = "missing_merchandise_or_services"
	MissingPriorDescription            = "missing_prior_undisputed_transaction_description"
	MissingPriorUndisputedTransactions = "missing_prior_undisputed_transactions"
)

// The data elements a prior charge can match on. IP and device are the main ones.
const (
	ElementIP        = "customer_purchase_ip"
	ElementDevice    = "customer_device_id"
	ElementShipping  = "shipping_address"
	ElementEmail     = "customer_email_address"
	ElementAccountID = "customer_account_id"
)

// Window is the age a prior charge must have, in whole days before the disputed one: Stripe's
// "more than 119 and fewer than 366 calendar days".
const (
	MinAgeDays = 120
	MaxAgeDays = 365
)

// Charge is a payment as the rule sees it.
type Charge struct {
	ID        string // ours
	Reference string // the provider's (Stripe ch_…), which the push to Stripe names
	At        time.Time
	Amount    int64
	// The data elements; empty when not known. ShippingAddress is the full address on one line
	// (Visa wants every part of it).
	CustomerIP, DeviceID, ShippingAddress, Email, AccountID string
	Description                                             string // what was bought
	Disputed, FraudReported                                 bool
}

// Prior is an earlier charge that matches, with what it matches on.
type Prior struct {
	Charge
	AgeDays  int
	Elements []string
}

// Result is the rule's answer.
type Result struct {
	Status  Status
	Missing []string // what stands between the dispute and qualifying
	Priors  []Prior  // the two charges to send when qualified; the best candidates otherwise
	// MerchandiseOrServices is what the disputed charge sold, in Visa's two words.
	MerchandiseOrServices string
}

// Applies reports whether the rule applies to a dispute: Visa, reason code 10.4, only.
func Applies(network, reasonCode string) bool {
	return network == "visa" && strings.TrimSpace(reasonCode) == "10.4"
}

// Evaluate checks a Visa 10.4 dispute on disputed against the same card's other charges.
// merchandiseOrServices is "merchandise" or "services" (from the merchant's product type), ""
// when not known.
func Evaluate(network, reasonCode string, disputed Charge, sameCard []Charge, merchandiseOrServices string) Result {
	if !Applies(network, reasonCode) {
		return Result{Status: NotQualified}
	}
	r := Result{MerchandiseOrServices: merchandiseOrServices}
	if disputed.CustomerIP == "" && disputed.DeviceID == "" {
		r.Missing = append(r.Missing, MissingCustomerIdentifiers)
	}
	if strings.TrimSpace(disputed.Description) == "" {
		r.Missing = append(r.Missing, MissingDescription)
	}
	if merchandiseOrServices != "merchandise" && merchandiseOrServices != "services" {
		r.Missing = append(r.Missing, MissingMerchandiseOrServices)
	}
	r.Priors = bestPriors(disputed, sameCard)
	if len(r.Priors) < 2 {
		r.Missing = append(r.Missing, MissingPriorUndisputedTransactions)
	}
	if slices.ContainsFunc(r.Priors, func(p Prior) bool { return strings.TrimSpace(p.Description) == "" }) {
		r.Missing = append(r.Missing, MissingPriorDescription)
	}
	r.Status = Qualified
	if len(r.Missing) > 0 {
		r.Status = RequiresAction
	}
	return r
}

// bestPriors are the (at most two) eligible charges that match the disputed one, those matching
// on more elements first, then the most recent.
func bestPriors(disputed Charge, sameCard []Charge) []Prior {
	var out []Prior
	for _, c := range sameCard {
		if c.ID == disputed.ID || c.Disputed || c.FraudReported || c.Amount <= 0 {
			continue
		}
		age := ageDays(disputed.At, c.At)
		if age < MinAgeDays || age > MaxAgeDays {
			continue
		}
		if elements := matching(disputed, c); valid(elements) {
			out = append(out, Prior{Charge: c, AgeDays: age, Elements: elements})
		}
	}
	slices.SortStableFunc(out, func(a, b Prior) int {
		if len(a.Elements) != len(b.Elements) {
			return len(b.Elements) - len(a.Elements)
		}
		return b.At.Compare(a.At)
	})
	return out[:min(2, len(out))]
}

// ageDays is how many whole calendar days (UTC) before the disputed charge the prior one was.
func ageDays(disputed, prior time.Time) int {
	d := time.Date(disputed.UTC().Year(), disputed.UTC().Month(), disputed.UTC().Day(), 0, 0, 0, 0, time.UTC)
	p := time.Date(prior.UTC().Year(), prior.UTC().Month(), prior.UTC().Day(), 0, 0, 0, 0, time.UTC)
	return int(d.Sub(p).Hours() / 24)
}

// matching lists the elements two charges share. Values are compared as given, case aside: the
// caller stores IPs canonical and addresses rendered one way.
func matching(a, b Charge) []string {
	var out []string
	same := func(x, y string) bool {
		return x != "" && strings.EqualFold(strings.TrimSpace(x), strings.TrimSpace(y))
	}
	for _, e := range []struct {
		name string
		x, y string
	}{
		{ElementIP, a.CustomerIP, b.CustomerIP}, {ElementDevice, a.DeviceID, b.DeviceID},
		{ElementShipping, a.ShippingAddress, b.ShippingAddress}, {ElementEmail, a.Email, b.Email},
		{ElementAccountID, a.AccountID, b.AccountID},
	} {
		if same(e.x, e.y) {
			out = append(out, e.name)
		}
	}
	return out
}

// valid applies Visa's pairing rule: two elements, at least one of them a main one (IP, device).
func valid(elements []string) bool {
	main := slices.Contains(elements, ElementIP) || slices.Contains(elements, ElementDevice)
	return main && len(elements) >= 2
}
