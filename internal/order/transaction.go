package order

import (
	"strings"
	"time"

	"disputed/internal/fault"
)

// Kind is what a transaction does with money.
type Kind string

// Transaction kinds. Chargeback and chargeback_reversal are recorded by disputes, never created
// directly, so that withdrawn funds always trace back to the dispute that moved them.
const (
	Authorization      Kind = "authorization"
	Capture            Kind = "capture"
	Charge             Kind = "charge"
	Refund             Kind = "refund"
	Void               Kind = "void"
	Chargeback         Kind = "chargeback"
	ChargebackReversal Kind = "chargeback_reversal"
)

// Transaction is one movement of money. Amounts are positive minor units; the kind gives the sign.
type Transaction struct {
	ID                string
	Kind              Kind
	Amount            int64
	Currency          string
	OrderID           string
	CustomerID        string
	VendorID          string
	ParentID          string
	DisputeID         string
	Provider          string
	ProviderReference string
	ARN               string
	Purchase          PurchaseContext // how the payment happened: the card, the IP, the device
	Channel           Channel         // card present or not; "" when not said
	External          bool            // a refund that already happened at the gateway: recorded, not sent
	Reason            string
	AmountRefunded    int64 // charge or capture: refunds so far
	AmountWithdrawn   int64 // charge or capture: funds held by chargebacks, net of reversals
	AmountCaptured    int64 // authorization: captures so far
	Voided            bool  // authorization: released
	CreatedAt         time.Time
	UpdatedAt         time.Time // moves when the running amounts do
}

// Captures reports whether the transaction holds captured money that can be refunded or disputed.
func (t *Transaction) Captures() bool { return t.Kind == Charge || t.Kind == Capture }

// Refundable is what may still be refunded: the amount minus refunds and withdrawn funds.
func (t *Transaction) Refundable() int64 {
	if !t.Captures() {
		return 0
	}
	return t.Amount - t.AmountRefunded - t.AmountWithdrawn
}

// ParseKind reads a kind name.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(s); k {
	case Authorization, Capture, Charge, Refund, Void:
		return k, nil
	case Chargeback, ChargebackReversal:
		return "", fault.Invalidf(fault.CodeInvalidValue, "type", "%s transactions are recorded by disputes, not created directly", k)
	case "":
		return "", fault.Required("type")
	}
	return "", fault.Invalidf(fault.CodeInvalidValue, "type", "type must be one of authorization, capture, charge, refund, void")
}

// NewTransaction validates t (its Amount and Currency already valid money) against its parent and
// order and applies it to the parent: a capture adds to the authorization's captured amount, a
// void releases it, a refund adds to the charge's refunded amount.
func NewTransaction(t Transaction, parent *Transaction, o *Order) (Transaction, error) {
	if t.UpdatedAt.IsZero() {
		t.UpdatedAt = t.CreatedAt
	}
	if o != nil {
		if err := o.CheckChangeable("record a transaction"); err != nil {
			return Transaction{}, err
		}
		if t.Currency != o.Currency {
			return Transaction{}, fault.Invalidf(fault.CodeCurrencyMismatch, "currency", "the order is in %s", o.Currency)
		}
		t.OrderID, t.CustomerID, t.VendorID = o.ID, o.CustomerID, o.VendorID
	}
	if len(t.Reason) > 500 {
		return Transaction{}, fault.Invalidf(fault.CodeInvalidValue, "reason", "reason is longer than 500 characters")
	}
	t.Reason = strings.TrimSpace(t.Reason)
	if err := checkRecord(&t, parent); err != nil {
		return Transaction{}, err
	}
	switch t.Kind {
	case Authorization, Charge:
		if parent != nil {
			return Transaction{}, fault.Invalidf(fault.CodeInvalidValue, "parent_id", "a %s has no parent", t.Kind)
		}
		if t.Amount <= 0 {
			return Transaction{}, fault.Invalidf(fault.CodeInvalidAmount, "amount", "amount must be positive")
		}
		if t.External {
			return Transaction{}, fault.Invalidf(fault.CodeInvalidValue, "is_external", "only refunds can be external")
		}
		return t, nil
	case Capture, Void:
		if parent == nil || parent.Kind != Authorization {
			return Transaction{}, fault.Invalidf(fault.CodeInvalidValue, "parent_id", "a %s needs an authorization as parent_id", t.Kind)
		}
		return authorizationChild(t, parent)
	case Refund:
		if parent == nil || !parent.Captures() {
			return Transaction{}, fault.Invalidf(fault.CodeInvalidValue, "parent_id", "a refund needs a charge or capture as parent_id")
		}
		return RefundOf(parent, t)
	}
	return Transaction{}, fault.Invalidf(fault.CodeInvalidValue, "type", "%s transactions are recorded by disputes", t.Kind)
}

// checkRecord checks and canonicalises what t says of itself beyond its money: its purchase
// context and channel, and its time, which a back-filled transaction gives but which may not precede its
// parent's (a refund before its charge).
func checkRecord(t *Transaction, parent *Transaction) error {
	purchase, err := t.Purchase.Check()
	if err != nil {
		return err
	}
	t.Purchase = purchase
	if t.Channel, err = ParseChannel(string(t.Channel)); err != nil {
		return err
	}
	if parent != nil && t.CreatedAt.Before(parent.CreatedAt) {
		return fault.Invalidf(fault.CodeInvalidValue, "created_at", "a %s cannot precede its parent, created at %s",
			t.Kind, parent.CreatedAt.UTC().Format(time.RFC3339))
	}
	return nil
}

func authorizationChild(t Transaction, auth *Transaction) (Transaction, error) {
	if t.Currency != auth.Currency {
		return Transaction{}, fault.Invalidf(fault.CodeCurrencyMismatch, "currency", "the authorization is in %s", auth.Currency)
	}
	if auth.Voided {
		return Transaction{}, fault.InvalidState("voided", t.Kind.verb()+" the authorization")
	}
	if t.External {
		return Transaction{}, fault.Invalidf(fault.CodeInvalidValue, "is_external", "only refunds can be external")
	}
	inherit(&t, auth)
	t.ParentID = auth.ID
	if t.Kind == Void {
		if auth.AmountCaptured > 0 {
			return Transaction{}, fault.InvalidState("captured", "void the authorization")
		}
		if t.Amount == 0 {
			t.Amount = auth.Amount
		}
		if t.Amount != auth.Amount {
			return Transaction{}, fault.Invalidf(fault.CodeInvalidAmount, "amount", "a void releases the whole authorization (%d)", auth.Amount)
		}
		auth.Voided = true
		return t, nil
	}
	if t.Amount <= 0 {
		return Transaction{}, fault.Invalidf(fault.CodeInvalidAmount, "amount", "amount must be positive")
	}
	if t.Amount > auth.Amount-auth.AmountCaptured {
		return Transaction{}, fault.Invalidf(fault.CodeAmountTooLarge, "amount", "only %d of the authorization is left to capture", auth.Amount-auth.AmountCaptured)
	}
	auth.AmountCaptured += t.Amount
	return t, nil
}

// RefundOf checks a refund of charge and adds it to the charge's refunded amount. The refund may
// never exceed what is still refundable.
func RefundOf(charge *Transaction, t Transaction) (Transaction, error) {
	t.Kind, t.ParentID = Refund, charge.ID
	if t.Currency == "" {
		t.Currency = charge.Currency
	}
	if t.Currency != charge.Currency {
		return Transaction{}, fault.Invalidf(fault.CodeCurrencyMismatch, "currency", "the charge is in %s", charge.Currency)
	}
	if t.Amount <= 0 {
		return Transaction{}, fault.Invalidf(fault.CodeInvalidAmount, "amount", "amount must be positive")
	}
	if err := checkRecord(&t, charge); err != nil {
		return Transaction{}, err
	}
	if left := charge.Refundable(); t.Amount > left {
		return Transaction{}, fault.Invalidf(fault.CodeAmountTooLarge, "amount", "only %d of the charge can still be refunded", left)
	}
	inherit(&t, charge)
	charge.AmountRefunded += t.Amount
	return t, nil
}

// WithdrawalOf records that a chargeback took amount of charge (capped by what is left). Only
// captured money (a charge or a capture) can be withdrawn.
func WithdrawalOf(charge *Transaction, t Transaction) (Transaction, bool) {
	if !charge.Captures() {
		return Transaction{}, false
	}
	t.Amount = min(t.Amount, charge.Amount-charge.AmountRefunded-charge.AmountWithdrawn)
	if t.Amount <= 0 {
		return Transaction{}, false
	}
	t.Kind, t.ParentID, t.Currency = Chargeback, charge.ID, charge.Currency
	inherit(&t, charge)
	charge.AmountWithdrawn += t.Amount
	return t, true
}

// ReversalOf records that a won chargeback gave back what was withdrawn for it.
func ReversalOf(charge *Transaction, t Transaction) (Transaction, bool) {
	t.Amount = min(t.Amount, charge.AmountWithdrawn)
	if t.Amount <= 0 {
		return Transaction{}, false
	}
	t.Kind, t.ParentID, t.Currency = ChargebackReversal, charge.ID, charge.Currency
	inherit(&t, charge)
	charge.AmountWithdrawn -= t.Amount
	return t, true
}

func inherit(t *Transaction, parent *Transaction) {
	if t.UpdatedAt.IsZero() {
		t.UpdatedAt = t.CreatedAt
	}
	t.OrderID, t.CustomerID, t.VendorID = parent.OrderID, parent.CustomerID, parent.VendorID
	if t.Provider == "" {
		t.Provider = parent.Provider
	}
	// A refund, capture or chargeback moves the money of the same card, taken the same way.
	if t.Purchase.CardNetwork == "" {
		t.Purchase.CardNetwork = parent.Purchase.CardNetwork
	}
	if t.Channel == NoChannel {
		t.Channel = parent.Channel
	}
}

func (k Kind) verb() string {
	if k == Void {
		return "void"
	}
	return "capture"
}
