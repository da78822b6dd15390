package stripe

import (
	"encoding/json"
	"strings"

	"disputed/internal/provider"
)

// The event types that carry a Charge: a payment made (succeeded), an authorization captured,
// a charge refunded (with the refunds it lists). A charge that failed or is pending is read too,
// with Made false, so that the app says why it recorded nothing.
const (
	EventChargeSucceeded = "charge.succeeded"
	EventChargeCaptured  = "charge.captured"
	EventChargeRefunded  = "charge.refunded"
)

// chargeEvent is what we read of a Charge that a charge.* event carries.
type chargeEvent struct {
	ID             string            `json:"id"`
	Amount         int64             `json:"amount"`
	AmountCaptured int64             `json:"amount_captured"` // less than amount after a partial capture
	Currency       string            `json:"currency"`
	Captured       bool              `json:"captured"`
	Status         string            `json:"status"` // succeeded, pending, failed
	Paid           bool              `json:"paid"`
	Created        int64             `json:"created"`
	Livemode       bool              `json:"livemode"`
	Customer       json.RawMessage   `json:"customer"` // "cus_…", an expanded Customer, or null
	PaymentIntent  json.RawMessage   `json:"payment_intent"`
	ReceiptEmail   string            `json:"receipt_email"`
	Metadata       map[string]string `json:"metadata"`
	BillingDetails struct {
		Email string `json:"email"`
	} `json:"billing_details"`
	PaymentMethodDetails struct {
		Type        string      `json:"type"` // card, card_present, paypal, ...
		Card        cardDetails `json:"card"`
		CardPresent cardDetails `json:"card_present"`
		// interac_present is a card present too, on Canada's debit network.
		InteracPresent cardDetails `json:"interac_present"`
	} `json:"payment_method_details"`
	// Refunds is the charge's list of refunds; API versions from 2022-11-15 leave it out unless
	// expanded, and then the refund.created events report each refund instead.
	Refunds *struct {
		Data []json.RawMessage `json:"data"`
	} `json:"refunds"`
}

// cardDetails is the card of payment_method_details.card or .card_present.
type cardDetails struct {
	Brand       string `json:"brand"`   // visa, mastercard, amex, discover, diners, jcb, unionpay, eftpos_au, unknown
	Network     string `json:"network"` // the network it went through (cartes_bancaires for a co-badged Visa)
	Last4       string `json:"last4"`
	Fingerprint string `json:"fingerprint"`
}

// readChargeObject reads a charge event's Charge. The payment is made when Stripe says it
// succeeded; a charge not captured is an authorization (captured false), made too: the money
// is held for the merchant. The amount of a captured charge is what was captured
// (amount_captured, which a partial capture makes less than amount). The card network is the card's brand, as Stripe names it (unknown is
// "not said"); the channel is card_present for a card read by a terminal (card_present,
// interac_present), card_not_present for a card entered online, and not said for any other
// method (a PayPal or bank payment through Stripe).
func readChargeObject(raw json.RawMessage) (*provider.ChargeReport, error) {
	var o chargeEvent
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, jsonError(objectParam, err)
	}
	if !strings.HasPrefix(o.ID, "ch_") && !strings.HasPrefix(o.ID, "py_") {
		return nil, missing(objectParam + ".id")
	}
	taken := o.Amount
	if o.Captured && o.AmountCaptured > 0 {
		taken = o.AmountCaptured
	}
	amount, currency, err := readAmount(objectParam, taken, o.Currency)
	if err != nil {
		return nil, err
	}
	if currency == "" {
		return nil, missing(objectParam + ".currency")
	}
	customer, err := readID(objectParam+".customer", o.Customer)
	if err != nil {
		return nil, err
	}
	paymentIntent, err := readID(objectParam+".payment_intent", o.PaymentIntent)
	if err != nil {
		return nil, err
	}
	created, err := unixTime(objectParam+".created", o.Created)
	if err != nil {
		return nil, err
	}
	c := &provider.ChargeReport{ID: o.ID, PaymentReference: paymentIntent, Amount: amount, Currency: currency,
		Status: o.Status, Made: o.Status == "succeeded", Captured: o.Captured, CustomerReference: customer,
		CustomerEmail: firstText(o.BillingDetails.Email, o.ReceiptEmail), Metadata: o.Metadata, Created: created, Livemode: o.Livemode}
	var card cardDetails
	switch pm := o.PaymentMethodDetails; {
	case pm.Type == "card":
		card, c.Channel = pm.Card, "card_not_present"
	case pm.Type == "card_present":
		card, c.Channel = pm.CardPresent, "card_present"
	case pm.Type == "interac_present":
		card, c.Channel = pm.InteracPresent, "card_present"
	}
	c.CardNetwork, c.Last4, c.Fingerprint = disputeNetwork("", firstText(card.Brand, card.Network)), card.Last4, card.Fingerprint
	if o.Refunds != nil {
		for i, r := range o.Refunds.Data {
			rr, err := readRefundObject(r)
			if err != nil {
				return nil, invalid(objectParam+".refunds.data", "refund %d: %v", i, err)
			}
			if rr.ChargeReference == "" {
				rr.ChargeReference = c.ID
			}
			c.Refunds = append(c.Refunds, *rr)
		}
	}
	return c, nil
}

func firstText(s, fallback string) string {
	if s != "" {
		return s
	}
	return fallback
}
