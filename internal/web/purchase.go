package web

import (
	"disputed/internal/order"
	"disputed/internal/reasoncode"
)

// fact is one labelled value of a definition list.
type fact struct{ Label, Value string }

// purchaseFacts are what an order or a payment knows of its purchase (order.PurchaseContext), in
// words, in the order a person reads them: who, with which card, where the goods went. Only the
// known ones: none when nothing is known, so that the page shows nothing.
func purchaseFacts(c order.PurchaseContext) []fact {
	var out []fact
	for _, f := range []fact{
		{"Customer account", c.AccountID}, {"Customer IP", c.CustomerIP}, {"Device", c.DeviceID}, {"Browser", c.UserAgent},
		{"Card", cardWords(c)}, {"Card fingerprint", c.CardFingerprint}, {"Billing address", c.BillingAddress.String()},
		{"Shipping address", c.ShippingAddress.String()}, {"Carrier", c.ShippingCarrier}, {"Tracking number", c.TrackingNumber},
	} {
		if f.Value != "" {
			out = append(out, f)
		}
	}
	return out
}

// otherCardNetworks name the card networks a charge may give that the reason-code catalogue
// does not have (it names its own).
var otherCardNetworks = map[string]string{"diners": "Diners Club", "jcb": "JCB", "unionpay": "UnionPay",
	"cartes_bancaires": "Cartes Bancaires", "eftpos_au": "eftpos Australia", "interac": "Interac", "unknown": "Card"}

// cardWords is the card as people write it: "Visa •••• 4242"; "" when neither is known.
func cardWords(c order.PurchaseContext) string {
	name := otherCardNetworks[c.CardNetwork]
	for _, n := range reasoncode.Networks() {
		if n.Network == c.CardNetwork {
			name = n.Name
		}
	}
	switch {
	case c.CardLast4 == "":
		return name
	case name == "":
		name = "Card"
	}
	return name + " •••• " + c.CardLast4
}
