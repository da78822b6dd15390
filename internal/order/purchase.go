package order

import (
	"net/netip"
	"slices"
	"strings"
	"unicode/utf8"

	"disputed/internal/fault"
)

// PurchaseContext is what the merchant knows of how a purchase happened: where the customer was,
// on which device, with which card, and where the goods went. The evidence a dispute needs is
// mostly this (the purchase IP, the billing and shipping addresses, the tracking number), and
// Visa's Compelling Evidence 3.0 compares the disputed charge with the same card's earlier ones on
// the IP, the device, the shipping address and the account. Orders and transactions each carry
// one; DisputeContext says which of the two a dispute believes.
type PurchaseContext struct {
	CustomerIP      string // canonical form (netip), IPv4-mapped IPv6 written as IPv4
	DeviceID        string // the merchant's device id or fingerprint, free text
	UserAgent       string
	BillingAddress  Address
	ShippingAddress Address
	ShippingCarrier string
	TrackingNumber  string
	CardFingerprint string // the provider's fingerprint of the card (Stripe card.fingerprint)
	CardNetwork     string // one of CardNetworks
	CardLast4       string
	AccountID       string // the customer's account in the merchant's own system
}

// Address is a postal address, structured as Stripe's is.
type Address struct {
	Line1      string
	Line2      string
	City       string
	State      string
	PostalCode string
	Country    string // ISO 3166-1 alpha-2, upper case
}

// CardNetworks are the card networks a card_network may name: Stripe's card brands (what its
// payment_method_details.card.brand says, so that a Stripe integration passes it through), which
// hold the card networks of the reason-code catalogue (visa, mastercard, amex, discover); unknown
// when the integration does not know.
var CardNetworks = []string{"visa", "mastercard", "amex", "discover", "diners", "jcb", "unionpay",
	"cartes_bancaires", "eftpos_au", "interac", "unknown"}

// The lengths the context's texts may have, in bytes.
const (
	maxUserAgent = 1000
	maxContext   = 200
)

// IsZero reports whether the address says nothing.
func (a Address) IsZero() bool { return a == Address{} }

// String is the address on one line, as evidence and pages show it: "1 Main St, Apt 2, Springfield,
// IL 62701, US"; the empty parts left out.
func (a Address) String() string {
	region := strings.TrimSpace(a.State + " " + a.PostalCode)
	var parts []string
	for _, p := range []string{a.Line1, a.Line2, a.City, region, a.Country} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// IsZero reports whether the context says nothing.
func (c PurchaseContext) IsZero() bool { return c == PurchaseContext{} }

// Check validates c and returns it in canonical form: texts trimmed, the IP in its canonical
// form, the card network in lower case, the countries in upper case. Each error names its field
// as the API does (billing_address.country).
func (c PurchaseContext) Check() (PurchaseContext, error) {
	texts := []struct {
		param string
		value *string
		max   int
	}{
		{"customer_ip", &c.CustomerIP, maxContext}, {"device_id", &c.DeviceID, maxContext},
		{"user_agent", &c.UserAgent, maxUserAgent}, {"shipping_carrier", &c.ShippingCarrier, maxContext},
		{"tracking_number", &c.TrackingNumber, maxContext}, {"card_fingerprint", &c.CardFingerprint, maxContext},
		{"card_network", &c.CardNetwork, maxContext}, {"card_last4", &c.CardLast4, maxContext},
		{"account_id", &c.AccountID, maxContext},
	}
	for _, t := range texts {
		if err := checkText(t.param, t.value, t.max); err != nil {
			return PurchaseContext{}, err
		}
	}
	if c.CustomerIP != "" {
		ip, err := netip.ParseAddr(c.CustomerIP)
		if err != nil || ip.Zone() != "" {
			return PurchaseContext{}, fault.Invalidf(fault.CodeInvalidValue, "customer_ip", "customer_ip must be an IPv4 or IPv6 address")
		}
		c.CustomerIP = ip.Unmap().String()
	}
	if c.CardNetwork != "" {
		c.CardNetwork = strings.ToLower(c.CardNetwork)
		if !slices.Contains(CardNetworks, c.CardNetwork) {
			return PurchaseContext{}, fault.Invalidf(fault.CodeInvalidValue, "card_network", "card_network must be one of %s", strings.Join(CardNetworks, ", "))
		}
	}
	if c.CardLast4 != "" && (len(c.CardLast4) != 4 || strings.Trim(c.CardLast4, "0123456789") != "") {
		return PurchaseContext{}, fault.Invalidf(fault.CodeInvalidValue, "card_last4", "card_last4 must be the card's last 4 digits")
	}
	var err error
	if c.BillingAddress, err = c.BillingAddress.check("billing_address"); err != nil {
		return PurchaseContext{}, err
	}
	if c.ShippingAddress, err = c.ShippingAddress.check("shipping_address"); err != nil {
		return PurchaseContext{}, err
	}
	return c, nil
}

func (a Address) check(param string) (Address, error) {
	for _, f := range []struct {
		name  string
		value *string
	}{{"line1", &a.Line1}, {"line2", &a.Line2}, {"city", &a.City}, {"state", &a.State},
		{"postal_code", &a.PostalCode}, {"country", &a.Country}} {
		if err := checkText(param+"."+f.name, f.value, maxContext); err != nil {
			return Address{}, err
		}
	}
	if a.Country != "" {
		a.Country = strings.ToUpper(a.Country)
		if len(a.Country) != 2 || strings.Trim(a.Country, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			return Address{}, fault.Invalidf(fault.CodeInvalidValue, param+".country", "country must be a two-letter ISO 3166-1 code such as US")
		}
	}
	return a, nil
}

// checkText trims *s and refuses it when longer than max bytes or not UTF-8.
func checkText(param string, s *string, max int) error {
	*s = strings.TrimSpace(*s)
	if !utf8.ValidString(*s) {
		return fault.Invalidf(fault.CodeInvalidValue, param, "%s is not valid UTF-8", param)
	}
	if len(*s) > max {
		return fault.Invalidf(fault.CodeInvalidValue, param, "%s is longer than %d characters", param, max)
	}
	return nil
}

// DisputeContext is the purchase context a dispute on a charge believes, from its order's and its
// charge's. The charge saw the payment, so its values win for the card, the billing address, the
// IP, the device and the user agent; the order saw the fulfilment and the account, so its values
// win for the shipping address, carrier, tracking number and account id. Each field falls back to
// the other's when the one that wins is empty.
func DisputeContext(orderContext, chargeContext PurchaseContext) PurchaseContext {
	pay, ship := chargeContext, orderContext
	return PurchaseContext{
		CustomerIP:      first(pay.CustomerIP, ship.CustomerIP),
		DeviceID:        first(pay.DeviceID, ship.DeviceID),
		UserAgent:       first(pay.UserAgent, ship.UserAgent),
		BillingAddress:  firstAddress(pay.BillingAddress, ship.BillingAddress),
		CardFingerprint: first(pay.CardFingerprint, ship.CardFingerprint),
		CardNetwork:     first(pay.CardNetwork, ship.CardNetwork),
		CardLast4:       first(pay.CardLast4, ship.CardLast4),
		ShippingAddress: firstAddress(ship.ShippingAddress, pay.ShippingAddress),
		ShippingCarrier: first(ship.ShippingCarrier, pay.ShippingCarrier),
		TrackingNumber:  first(ship.TrackingNumber, pay.TrackingNumber),
		AccountID:       first(ship.AccountID, pay.AccountID),
	}
}

func first(s, fallback string) string {
	if s != "" {
		return s
	}
	return fallback
}

func firstAddress(a, fallback Address) Address {
	if !a.IsZero() {
		return a
	}
	return fallback
}
