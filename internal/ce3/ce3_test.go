package ce3

import (
	"slices"
	"testing"
	"time"
)

var disputedAt = time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)

func daysBefore(n int) time.Time { return disputedAt.AddDate(0, 0, -n) }

func disputedCharge() Charge {
	return Charge{ID: "txn_d", Reference: "ch_d", At: disputedAt, Amount: 4900, CustomerIP: "203.0.113.7",
		DeviceID: "device-abcdef-0123456789", ShippingAddress: "1 Main St, Springfield, IL 62701, US",
		Email: "ada@example.com", AccountID: "acct-42", Description: "VPS S, monthly"}
}

func prior(id string, days int, mut func(*Charge)) Charge {
	c := disputedCharge()
	c.ID, c.Reference, c.At = id, "ch_"+id, daysBefore(days)
	if mut != nil {
		mut(&c)
	}
	return c
}

func TestQualifiesWithTwoMatchingPriorsInTheWindow(t *testing.T) {
	history := []Charge{
		prior("p1", 150, nil),
		prior("p2", 300, func(c *Charge) { c.DeviceID, c.ShippingAddress, c.Email = "", "", "" }), // IP + account
		prior("old", 400, nil),   // too old
		prior("young", 100, nil), // too young
		prior("disputed", 200, func(c *Charge) { c.Disputed = true }),
		prior("fraud", 210, func(c *Charge) { c.FraudReported = true }),
		prior("zero", 220, func(c *Charge) { c.Amount = 0 }),
	}
	r := Evaluate("visa", "10.4", disputedCharge(), history, "services")
	if r.Status != Qualified || len(r.Missing) != 0 {
		t.Fatalf("%+v, want qualified", r)
	}
	ids := []string{r.Priors[0].ID, r.Priors[1].ID}
	if !slices.Equal(ids, []string{"p1", "p2"}) {
		t.Errorf("priors %v, want p1 (5 elements) then p2", ids)
	}
	if r.Priors[1].AgeDays != 300 || !slices.Equal(r.Priors[1].Elements, []string{ElementIP, ElementAccountID}) {
		t.Errorf("p2: %+v", r.Priors[1])
	}
}

func TestTheWindowsEdgesAreIn(t *testing.T) {
	r := Evaluate("visa", "10.4", disputedCharge(), []Charge{prior("a", 120, nil), prior("b", 365, nil), prior("c", 119, nil), prior("d", 366, nil)}, "services")
	if r.Status != Qualified || r.Priors[0].ID != "a" || r.Priors[1].ID != "b" {
		t.Errorf("%+v, want a (120 days) and b (365 days)", r)
	}
}

func TestAMatchNeedsTheIPOrTheDevice(t *testing.T) {
	onlySecondary := func(c *Charge) { c.CustomerIP, c.DeviceID = "198.51.100.1", "other-device-000000000" }
	r := Evaluate("visa", "10.4", disputedCharge(), []Charge{prior("a", 150, onlySecondary), prior("b", 160, onlySecondary)}, "services")
	if r.Status != RequiresAction || !slices.Equal(r.Missing, []string{MissingPriorUndisputedTransactions}) || len(r.Priors) != 0 {
		t.Errorf("%+v: shipping, email and account alone do not make a match", r)
	}
	oneElement := func(c *Charge) { c.DeviceID, c.ShippingAddress, c.Email, c.AccountID = "", "", "", "" }
	r = Evaluate("visa", "10.4", disputedCharge(), []Charge{prior("a", 150, oneElement), prior("b", 160, nil)}, "services")
	if r.Status != RequiresAction || len(r.Priors) != 1 || r.Priors[0].ID != "b" {
		t.Errorf("%+v: the IP alone is one element, not two", r)
	}
}

func TestRequiresActionSaysWhatIsMissing(t *testing.T) {
	d := disputedCharge()
	d.CustomerIP, d.DeviceID, d.Description = "", "", " "
	r := Evaluate("visa", "10.4", d, nil, "")
	want := []string{MissingCustomerIdentifiers, MissingDescription, MissingMerchandiseOrServices, MissingPriorUndisputedTransactions}
	if r.Status != RequiresAction || !slices.Equal(r.Missing, want) {
		t.Errorf("%+v, want missing %v", r, want)
	}
	noDescription := func(c *Charge) { c.Description = "" }
	r = Evaluate("visa", "10.4", disputedCharge(), []Charge{prior("a", 150, noDescription), prior("b", 160, nil)}, "merchandise")
	if r.Status != RequiresAction || !slices.Equal(r.Missing, []string{MissingPriorDescription}) {
		t.Errorf("%+v, want a prior's description missing", r)
	}
}

func TestOnlyVisaTenFour(t *testing.T) {
	history := []Charge{prior("a", 150, nil), prior("b", 160, nil)}
	for _, c := range []struct{ network, code string }{{"visa", "10.5"}, {"mastercard", "4837"}, {"", "10.4"}, {"amex", "F29"}} {
		if r := Evaluate(c.network, c.code, disputedCharge(), history, "services"); r.Status != NotQualified || len(r.Priors) != 0 {
			t.Errorf("%s %s: %+v, want not_qualified", c.network, c.code, r)
		}
	}
	if r := Evaluate("visa", " 10.4 ", disputedCharge(), history, "services"); r.Status != Qualified {
		t.Errorf("a code with spaces around it: %+v", r)
	}
}

func TestEveryMissingItemIsExplained(t *testing.T) {
	for _, m := range []string{MissingCustomerIdentifiers, MissingDescription, MissingMerchandiseOrServices,
		MissingPriorDescription, MissingPriorUndisputedTransactions} {
		if Explain(m) == m || Explain(m) == "" {
			t.Errorf("%s has no sentence", m)
		}
	}
}
