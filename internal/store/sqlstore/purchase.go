package sqlstore

import "disputed/internal/order"

// storedAddress is how an address is kept in the billing_address and shipping_address columns,
// with explicit names so that renaming a Go field never changes how rows already written read.
type storedAddress struct {
	Line1      string `json:"line1"`
	Line2      string `json:"line2"`
	City       string `json:"city"`
	State      string `json:"state"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

// address encodes a; an empty address is kept as ” so that "no address" has one form.
func (j *jsonColumns) address(a order.Address) string {
	if a.IsZero() {
		return ""
	}
	return j.encode(storedAddress(a))
}

func (j *jsonColumns) decodeAddress(s string) order.Address {
	if s == "" {
		return order.Address{}
	}
	var a storedAddress
	j.decode(s, &a)
	return order.Address(a)
}

// purchaseColumns are the columns orders and transactions both keep a purchase context in
// (migration 00023), as the queries take and give them.
type purchaseColumns struct {
	customerIP, deviceID, userAgent, billingAddress, shippingAddress, shippingCarrier,
	trackingNumber, cardFingerprint, cardNetwork, cardLast4, accountID string
}

func (j *jsonColumns) purchase(c order.PurchaseContext) purchaseColumns {
	return purchaseColumns{
		customerIP: c.CustomerIP, deviceID: c.DeviceID, userAgent: c.UserAgent,
		billingAddress: j.address(c.BillingAddress), shippingAddress: j.address(c.ShippingAddress),
		shippingCarrier: c.ShippingCarrier, trackingNumber: c.TrackingNumber, cardFingerprint: c.CardFingerprint,
		cardNetwork: c.CardNetwork, cardLast4: c.CardLast4, accountID: c.AccountID,
	}
}

func (j *jsonColumns) decodePurchase(p purchaseColumns) order.PurchaseContext {
	return order.PurchaseContext{
		CustomerIP: p.customerIP, DeviceID: p.deviceID, UserAgent: p.userAgent,
		BillingAddress: j.decodeAddress(p.billingAddress), ShippingAddress: j.decodeAddress(p.shippingAddress),
		ShippingCarrier: p.shippingCarrier, TrackingNumber: p.trackingNumber, CardFingerprint: p.cardFingerprint,
		CardNetwork: p.cardNetwork, CardLast4: p.cardLast4, AccountID: p.accountID,
	}
}
