package order

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"disputed/internal/fault"
	"disputed/internal/reasoncode"
)

// fullContext is a purchase context with every field set, as a client would send it.
func fullContext() PurchaseContext {
	return PurchaseContext{
		CustomerIP: " 192.0.2.7 ", DeviceID: "dev-123", UserAgent: "Mozilla/5.0",
		BillingAddress:  Address{Line1: "1 Rue de Rivoli", City: "Paris", PostalCode: "75001", Country: "fr"},
		ShippingAddress: Address{Line1: "9 Main St", Line2: "Apt 2", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"},
		ShippingCarrier: "UPS", TrackingNumber: "1Z999", CardFingerprint: "fp_1", CardNetwork: "Visa", CardLast4: "4242",
		AccountID: "user-42",
	}
}

func TestPurchaseContextCheck(t *testing.T) {
	t.Parallel()
	got, err := fullContext().Check()
	if err != nil {
		t.Fatal(err)
	}
	want := fullContext()
	want.CustomerIP, want.BillingAddress.Country, want.CardNetwork = "192.0.2.7", "FR", "visa"
	if got != want {
		t.Errorf("canonical context\n%+v\nwant\n%+v", got, want)
	}
	if c, err := (PurchaseContext{}).Check(); err != nil || !c.IsZero() {
		t.Errorf("an empty context: %+v, %v", c, err)
	}

	long := strings.Repeat("a", 201)
	for _, tc := range []struct {
		name  string
		edit  func(*PurchaseContext)
		param string
	}{
		{"not an IP", func(c *PurchaseContext) { c.CustomerIP = "192.0.2.300" }, "customer_ip"},
		{"a host name", func(c *PurchaseContext) { c.CustomerIP = "example.com" }, "customer_ip"},
		{"an IP with a zone", func(c *PurchaseContext) { c.CustomerIP = "fe80::1%eth0" }, "customer_ip"},
		{"three digits", func(c *PurchaseContext) { c.CardLast4 = "424" }, "card_last4"},
		{"letters", func(c *PurchaseContext) { c.CardLast4 = "42a2" }, "card_last4"},
		{"a whole card number", func(c *PurchaseContext) { c.CardLast4 = "4242424242424242" }, "card_last4"},
		{"an unknown network", func(c *PurchaseContext) { c.CardNetwork = "paypal" }, "card_network"},
		{"a country name", func(c *PurchaseContext) { c.BillingAddress.Country = "France" }, "billing_address.country"},
		{"a country with a digit", func(c *PurchaseContext) { c.ShippingAddress.Country = "U1" }, "shipping_address.country"},
		{"a long address line", func(c *PurchaseContext) { c.ShippingAddress.Line1 = long }, "shipping_address.line1"},
		{"a long device id", func(c *PurchaseContext) { c.DeviceID = long }, "device_id"},
		{"a long tracking number", func(c *PurchaseContext) { c.TrackingNumber = long }, "tracking_number"},
		{"a long account id", func(c *PurchaseContext) { c.AccountID = long }, "account_id"},
		{"a long user agent", func(c *PurchaseContext) { c.UserAgent = strings.Repeat("a", 1001) }, "user_agent"},
		{"not UTF-8", func(c *PurchaseContext) { c.ShippingCarrier = "\xff" }, "shipping_carrier"},
	} {
		c := fullContext()
		tc.edit(&c)
		_, err := c.Check()
		wantFault(t, err, fault.Invalid, fault.CodeInvalidValue, tc.param)
	}

	// A user agent may be longer than the other texts.
	c := fullContext()
	c.UserAgent = strings.Repeat("a", 1000)
	if _, err := c.Check(); err != nil {
		t.Errorf("a 1000-byte user agent: %v", err)
	}
}

func TestCustomerIPIsCanonical(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"2001:0DB8:0000:0000:0000:0000:0000:0001": "2001:db8::1",
		"::ffff:192.0.2.1":                        "192.0.2.1",
		"198.51.100.20":                           "198.51.100.20",
	} {
		c, err := PurchaseContext{CustomerIP: in}.Check()
		if err != nil || c.CustomerIP != want {
			t.Errorf("customer_ip %q is kept as %q (%v), want %q", in, c.CustomerIP, err, want)
		}
	}
}

// TestCardNetworksHoldTheCatalogue: a charge's card network becomes its dispute's network, so
// every card network the reason-code catalogue classifies must be one a charge may name.
func TestCardNetworksHoldTheCatalogue(t *testing.T) {
	t.Parallel()
	for _, n := range reasoncode.Networks() {
		if n.Network == "paypal" || n.Network == "stripe" { // providers, not card networks
			continue
		}
		if !slices.Contains(CardNetworks, n.Network) {
			t.Errorf("card_network does not accept the catalogue's %s", n.Network)
		}
	}
}

func TestAddressOnOneLine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a    Address
		want string
	}{
		{Address{Line1: "9 Main St", Line2: "Apt 2", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"},
			"9 Main St, Apt 2, Springfield, IL 62701, US"},
		{Address{Line1: "1 Rue de Rivoli", City: "Paris", PostalCode: "75001", Country: "FR"}, "1 Rue de Rivoli, Paris, 75001, FR"},
		{Address{Country: "DE"}, "DE"},
		{Address{}, ""},
	} {
		if got := tc.a.String(); got != tc.want {
			t.Errorf("%+v on one line: %q, want %q", tc.a, got, tc.want)
		}
	}
}

func TestDisputeContext(t *testing.T) {
	t.Parallel()
	ord := PurchaseContext{CustomerIP: "192.0.2.1", DeviceID: "order-device", UserAgent: "order-agent",
		BillingAddress: Address{City: "order-billing"}, ShippingAddress: Address{City: "order-shipping"},
		ShippingCarrier: "UPS", TrackingNumber: "order-tracking", CardFingerprint: "fp_order", CardNetwork: "amex",
		CardLast4: "0005", AccountID: "order-account"}
	charge := PurchaseContext{CustomerIP: "192.0.2.2", DeviceID: "charge-device", UserAgent: "charge-agent",
		BillingAddress: Address{City: "charge-billing"}, ShippingAddress: Address{City: "charge-shipping"},
		ShippingCarrier: "DHL", TrackingNumber: "charge-tracking", CardFingerprint: "fp_charge", CardNetwork: "visa",
		CardLast4: "4242", AccountID: "charge-account"}

	// Both know everything: the charge wins for the payment, the order for the fulfilment and the account.
	want := PurchaseContext{CustomerIP: "192.0.2.2", DeviceID: "charge-device", UserAgent: "charge-agent",
		BillingAddress: Address{City: "charge-billing"}, ShippingAddress: Address{City: "order-shipping"},
		ShippingCarrier: "UPS", TrackingNumber: "order-tracking", CardFingerprint: "fp_charge", CardNetwork: "visa",
		CardLast4: "4242", AccountID: "order-account"}
	if got := DisputeContext(ord, charge); got != want {
		t.Errorf("both known:\n%+v\nwant\n%+v", got, want)
	}
	// Each knows alone: every field falls back to the one that knows it.
	if got := DisputeContext(ord, PurchaseContext{}); got != ord {
		t.Errorf("only the order knows:\n%+v\nwant\n%+v", got, ord)
	}
	if got := DisputeContext(PurchaseContext{}, charge); got != charge {
		t.Errorf("only the charge knows:\n%+v\nwant\n%+v", got, charge)
	}
	// The merge covers every field: a field added to the context and left out of it would be lost.
	v := reflect.ValueOf(DisputeContext(ord, PurchaseContext{}))
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Errorf("DisputeContext drops %s", v.Type().Field(i).Name)
		}
	}
}

func TestUpdatePurchase(t *testing.T) {
	t.Parallel()
	o, _ := fixture(t, Completed)
	o.Purchase, _ = fullContext().Check()
	before := o.Purchase
	tracking, none, ip := "1Z-NEW", "", "2001:DB8::7"
	changed, err := o.UpdatePurchase(PurchasePatch{TrackingNumber: &tracking, AccountID: &none, CustomerIP: &ip,
		BillingAddress: &Address{}}, tNow)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"customer_ip", "billing_address", "tracking_number", "account_id"}; !slices.Equal(changed, want) {
		t.Errorf("changed %v, want %v", changed, want)
	}
	want := before
	want.TrackingNumber, want.AccountID, want.CustomerIP, want.BillingAddress = "1Z-NEW", "", "2001:db8::7", Address{}
	if o.Purchase != want || !o.UpdatedAt.Equal(tNow) {
		t.Errorf("after the update %+v (updated %v), want %+v", o.Purchase, o.UpdatedAt, want)
	}

	// The same values again change nothing, and the order is left as it was.
	o.UpdatedAt = t0
	changed, err = o.UpdatePurchase(PurchasePatch{TrackingNumber: &tracking}, tNow)
	if err != nil || len(changed) != 0 || !o.UpdatedAt.Equal(t0) {
		t.Errorf("a repeated update: changed %v, %v, updated %v", changed, err, o.UpdatedAt)
	}

	// A bad value refuses the whole update.
	bad := "12"
	_, err = o.UpdatePurchase(PurchasePatch{TrackingNumber: &none, CardLast4: &bad}, tNow)
	wantFault(t, err, fault.Invalid, fault.CodeInvalidValue, "card_last4")
	if o.Purchase != want {
		t.Errorf("a refused update changed the context to %+v", o.Purchase)
	}

	voided, _ := fixture(t, Voided)
	_, err = voided.UpdatePurchase(PurchasePatch{TrackingNumber: &tracking}, tNow)
	wantInvalidState(t, err, "voided")
}

func TestBackdatedTransaction(t *testing.T) {
	t.Parallel()
	o, _ := fixture(t, Completed)
	charge, err := NewTransaction(Transaction{ID: "txn_1", Kind: Charge, Amount: 100, Currency: "USD",
		Purchase: PurchaseContext{CardNetwork: "MASTERCARD"}, CreatedAt: t0.AddDate(0, -6, 0)}, nil, o)
	if err != nil {
		t.Fatal(err)
	}
	if charge.Purchase.CardNetwork != "mastercard" {
		t.Errorf("card network %q, want it in lower case", charge.Purchase.CardNetwork)
	}
	_, err = RefundOf(&charge, Transaction{ID: "txn_2", Amount: 10, CreatedAt: charge.CreatedAt.Add(-1)})
	wantFault(t, err, fault.Invalid, fault.CodeInvalidValue, "created_at")
	if charge.AmountRefunded != 0 {
		t.Errorf("a refused refund counts %d", charge.AmountRefunded)
	}
	_, err = NewTransaction(Transaction{ID: "txn_3", Kind: Charge, Amount: 100, Currency: "USD",
		Purchase: PurchaseContext{CustomerIP: "nope"}, CreatedAt: t0}, nil, o)
	wantFault(t, err, fault.Invalid, fault.CodeInvalidValue, "customer_ip")
}
