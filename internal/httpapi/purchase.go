package httpapi

import (
	"encoding/json"
	"reflect"

	"github.com/danielgtaylor/huma/v2"

	"disputed/internal/order"
)

// PurchaseIn is the purchase context a new order or transaction is given, flat at the top of
// its body. The lengths are checked again, with the rest, by order.PurchaseContext.Check.
type PurchaseIn struct {
	CustomerIP      string   `json:"customer_ip,omitempty" maxLength:"200" doc:"the buyer's IP address at purchase, IPv4 or IPv6"`
	DeviceID        string   `json:"device_id,omitempty" maxLength:"200" doc:"the buyer's device id or fingerprint in your system"`
	UserAgent       string   `json:"user_agent,omitempty" maxLength:"1000" doc:"the buyer's browser user agent"`
	BillingAddress  *Address `json:"billing_address,omitempty"`
	ShippingAddress *Address `json:"shipping_address,omitempty"`
	ShippingCarrier string   `json:"shipping_carrier,omitempty" maxLength:"200"`
	TrackingNumber  string   `json:"tracking_number,omitempty" maxLength:"200"`
	CardFingerprint string   `json:"card_fingerprint,omitempty" maxLength:"200" doc:"the provider's fingerprint of the card, e.g. Stripe's card.fingerprint"`
	CardNetwork     string   `json:"card_network,omitempty" maxLength:"200" doc:"visa, mastercard, amex, discover, diners, jcb, unionpay, cartes_bancaires, eftpos_au, interac or unknown (Stripe's card brands), any case"`
	CardLast4       string   `json:"card_last4,omitempty" maxLength:"200" doc:"the card's last 4 digits"`
	AccountID       string   `json:"account_id,omitempty" maxLength:"200" doc:"the buyer's account in your own system"`
}

func (p PurchaseIn) purchase() order.PurchaseContext {
	return order.PurchaseContext{CustomerIP: p.CustomerIP, DeviceID: p.DeviceID, UserAgent: p.UserAgent,
		BillingAddress: p.BillingAddress.address(), ShippingAddress: p.ShippingAddress.address(),
		ShippingCarrier: p.ShippingCarrier, TrackingNumber: p.TrackingNumber, CardFingerprint: p.CardFingerprint,
		CardNetwork: p.CardNetwork, CardLast4: p.CardLast4, AccountID: p.AccountID}
}

// PurchasePatchIn changes a purchase context: a field left out keeps its value, a text given
// replaces it and "" clears it, an address given replaces the whole address and null clears it.
type PurchasePatchIn struct {
	CustomerIP      *string      `json:"customer_ip,omitempty" maxLength:"200"`
	DeviceID        *string      `json:"device_id,omitempty" maxLength:"200"`
	UserAgent       *string      `json:"user_agent,omitempty" maxLength:"1000"`
	BillingAddress  AddressPatch `json:"billing_address" required:"false"`
	ShippingAddress AddressPatch `json:"shipping_address" required:"false"`
	ShippingCarrier *string      `json:"shipping_carrier,omitempty" maxLength:"200"`
	TrackingNumber  *string      `json:"tracking_number,omitempty" maxLength:"200"`
	CardFingerprint *string      `json:"card_fingerprint,omitempty" maxLength:"200"`
	CardNetwork     *string      `json:"card_network,omitempty" maxLength:"200"`
	CardLast4       *string      `json:"card_last4,omitempty" maxLength:"200"`
	AccountID       *string      `json:"account_id,omitempty" maxLength:"200"`
}

func (p PurchasePatchIn) patch() order.PurchasePatch {
	return order.PurchasePatch{CustomerIP: p.CustomerIP, DeviceID: p.DeviceID, UserAgent: p.UserAgent,
		BillingAddress: p.BillingAddress.address(), ShippingAddress: p.ShippingAddress.address(),
		ShippingCarrier: p.ShippingCarrier, TrackingNumber: p.TrackingNumber, CardFingerprint: p.CardFingerprint,
		CardNetwork: p.CardNetwork, CardLast4: p.CardLast4, AccountID: p.AccountID}
}

// AddressPatch is an address in an update, where null (clear it) differs from leaving it out
// (keep it), which a pointer cannot tell apart.
type AddressPatch struct {
	given bool
	value *Address
}

// UnmarshalJSON is called only for a field that is present, null included.
func (p *AddressPatch) UnmarshalJSON(b []byte) error {
	p.given = true
	return json.Unmarshal(b, &p.value)
}

// Schema is the Address's: an object, or null.
func (AddressPatch) Schema(r huma.Registry) *huma.Schema {
	return r.Schema(reflect.TypeFor[Address](), true, "")
}

// address is the patch's order.PurchasePatch field: nil to keep, the empty address to clear.
func (p AddressPatch) address() *order.Address {
	if !p.given {
		return nil
	}
	a := p.value.address()
	return &a
}
