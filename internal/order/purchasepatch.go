package order

import "time"

// PurchasePatch changes a purchase context after the fact (the tracking number is known once the
// goods shipped): a nil field keeps its value, a given one replaces it, an empty one clears it.
type PurchasePatch struct {
	CustomerIP      *string
	DeviceID        *string
	UserAgent       *string
	BillingAddress  *Address
	ShippingAddress *Address
	ShippingCarrier *string
	TrackingNumber  *string
	CardFingerprint *string
	CardNetwork     *string
	CardLast4       *string
	AccountID       *string
}

// UpdatePurchase applies p to the order's purchase context and returns the API names of the
// fields that changed, none when p changes nothing (the order is then left as it was). A voided
// order is final and refuses any change.
func (o *Order) UpdatePurchase(p PurchasePatch, now time.Time) ([]string, error) {
	if err := o.CheckChangeable("update the order"); err != nil {
		return nil, err
	}
	next := o.Purchase
	texts := []struct{ patch, field *string }{
		{p.CustomerIP, &next.CustomerIP}, {p.DeviceID, &next.DeviceID}, {p.UserAgent, &next.UserAgent},
		{p.ShippingCarrier, &next.ShippingCarrier}, {p.TrackingNumber, &next.TrackingNumber},
		{p.CardFingerprint, &next.CardFingerprint}, {p.CardNetwork, &next.CardNetwork}, {p.CardLast4, &next.CardLast4},
		{p.AccountID, &next.AccountID},
	}
	for _, t := range texts {
		if t.patch != nil {
			*t.field = *t.patch
		}
	}
	if p.BillingAddress != nil {
		next.BillingAddress = *p.BillingAddress
	}
	if p.ShippingAddress != nil {
		next.ShippingAddress = *p.ShippingAddress
	}
	next, err := next.Check()
	if err != nil {
		return nil, err
	}
	changed := next.differences(o.Purchase)
	if len(changed) > 0 {
		o.Purchase, o.UpdatedAt = next, now
	}
	return changed, nil
}

// differences are the API names of the fields where c and prev differ, in the API's order.
func (c PurchaseContext) differences(prev PurchaseContext) []string {
	var out []string
	for _, f := range []struct {
		param string
		same  bool
	}{
		{"customer_ip", c.CustomerIP == prev.CustomerIP}, {"device_id", c.DeviceID == prev.DeviceID},
		{"user_agent", c.UserAgent == prev.UserAgent}, {"billing_address", c.BillingAddress == prev.BillingAddress},
		{"shipping_address", c.ShippingAddress == prev.ShippingAddress}, {"shipping_carrier", c.ShippingCarrier == prev.ShippingCarrier},
		{"tracking_number", c.TrackingNumber == prev.TrackingNumber}, {"card_fingerprint", c.CardFingerprint == prev.CardFingerprint},
		{"card_network", c.CardNetwork == prev.CardNetwork}, {"card_last4", c.CardLast4 == prev.CardLast4},
		{"account_id", c.AccountID == prev.AccountID},
	} {
		if !f.same {
			out = append(out, f.param)
		}
	}
	return out
}
