package dispute

import (
	"testing"
	"time"
)

// TestCardNetworkOfTheCharge: a dispute linked to a charge whose card network is known is on that
// network, unless its provider, its PayPal channel or its alert names one first.
func TestCardNetworkOfTheCharge(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		typ  Type
		edit func(*NewParams)
		card string
		want string
	}{
		{"nothing else names one", Chargeback, func(*NewParams) {}, "mastercard", "mastercard"},
		{"the card is unknown", Chargeback, func(*NewParams) {}, "unknown", ""},
		{"no card network", Chargeback, func(*NewParams) {}, "", ""},
		{"the provider said", Chargeback, func(p *NewParams) { p.Network = "amex" }, "visa", "amex"},
		{"a case at PayPal", Chargeback, func(p *NewParams) { p.Channel = ChannelProvider }, "visa", "paypal"},
		{"a Visa alert", Alert, func(p *NewParams) { p.AlertType = TC40 }, "mastercard", "visa"},
	} {
		p := params(tc.typ)
		p.Charge.CardNetwork = tc.card
		tc.edit(&p)
		d, _, err := New(p)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := d.NetworkHint(); got != tc.want {
			t.Errorf("%s: network %q, want %q", tc.name, got, tc.want)
		}
	}

	// Matching an unmatched alert to the charge later names the card's network too.
	p := params(Alert)
	p.Charge = nil
	p.Amount, p.Currency = 10000, "USD"
	d, _, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	c := charge()
	c.CardNetwork = "discover"
	if _, err := d.Match(c, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if d.Network != "discover" {
		t.Errorf("a matched Ethoca alert is on %q, want discover", d.Network)
	}
}
