package reasoncode

import "strings"

// Classification is what the catalogue says of a dispute's reason: its network, its code's entry
// and the family it belongs to.
type Classification struct {
	// Network is the network the dispute is on: the one its provider or card names, else the one
	// its code's shape or entry names; "" when nothing says.
	Network string
	// Category is the code's family; for a dispute without a code, or with one the catalogue does
	// not have, the family of its reason (Stripe's dispute.reason); "" when neither says.
	Category Category
	// Entry is the code's entry; nil without a code, or for a code the catalogue does not have.
	Entry *Entry
	// Unknown says a code was given that the catalogue does not have. It is kept as it was given
	// and shown flagged, never refused: networks add codes before the catalogue does.
	Unknown bool
}

// Classify says what the catalogue knows of a dispute's reason: network is the network its
// provider or card names ("" when none does), code its network reason code as received, reason
// its reason in Stripe's words (fraudulent, product_not_received, ...).
func Classify(network, code, reason string) Classification {
	c := Classification{Network: network}
	if code = strings.TrimSpace(code); code != "" {
		if c.Network == "" {
			c.Network = NetworkOf(code)
		}
		e, ok := Lookup(c.Network, code)
		if !ok && network != "" {
			// A case a provider relays for a card network (PayPal's EXTERNAL cases) carries the
			// card network's code: the code says the network, not the provider.
			e, ok = Lookup(NetworkOf(code), code)
		}
		if ok {
			c.Network, c.Category, c.Entry = e.Network, e.Category, &e
			return c
		}
		c.Unknown = true
	}
	if e, ok := Lookup("stripe", reason); ok && strings.TrimSpace(reason) == e.Code {
		c.Category = e.Category
	}
	return c
}
