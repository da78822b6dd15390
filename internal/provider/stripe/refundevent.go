package stripe

import (
	"encoding/json"
	"strings"

	"disputed/internal/provider"
)

// The event types that carry a refund: made through us (the refund job) or in Stripe's
// Dashboard. charge.refund.updated is the older name of refund.updated.
const (
	EventRefundCreated       = "refund.created"
	EventRefundUpdated       = "refund.updated"
	EventChargeRefundUpdated = "charge.refund.updated"
)

// refundObject is what we read of a Refund.
type refundObject struct {
	ID            string          `json:"id"`
	Amount        int64           `json:"amount"`
	Currency      string          `json:"currency"`
	Charge        json.RawMessage `json:"charge"`         // "ch_…", an expanded Charge, or null
	PaymentIntent json.RawMessage `json:"payment_intent"` // "pi_…", an expanded PaymentIntent, or null
	Status        string          `json:"status"`
}

// readRefundObject reads a refund event's Refund. A refund is made when Stripe says it succeeded
// or is pending (it may still need days); one that failed or was canceled moved no money.
func readRefundObject(raw json.RawMessage) (*provider.RefundReport, error) {
	var o refundObject
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, jsonError(objectParam, err)
	}
	if !strings.HasPrefix(o.ID, "re_") && !strings.HasPrefix(o.ID, "pyr_") {
		return nil, missing(objectParam + ".id")
	}
	amount, currency, err := readAmount(objectParam, o.Amount, o.Currency)
	if err != nil {
		return nil, err
	}
	if currency == "" {
		return nil, missing(objectParam + ".currency")
	}
	charge, _, err := readCharge(objectParam+".charge", o.Charge)
	if err != nil {
		return nil, err
	}
	paymentIntent, err := readID(objectParam+".payment_intent", o.PaymentIntent)
	if err != nil {
		return nil, err
	}
	return &provider.RefundReport{ID: o.ID, ChargeReference: charge, PaymentReference: paymentIntent, Amount: amount,
		Currency: currency, Status: o.Status, Made: o.Status == "succeeded" || o.Status == "pending"}, nil
}
