// Package order holds the rules of orders, their service lines and the transactions that move
// their money: completing and voiding an order, which line actions a dispute outcome needs, and
// the invariant that refunds never exceed what was captured. It does no I/O.
package order

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"disputed/internal/fault"
	"disputed/internal/money"
)

// Status is where an order stands.
type Status string

// Order statuses: pending → completed → voided | refunded | partially_refunded.
const (
	Pending           Status = "pending"
	Completed         Status = "completed"
	Voided            Status = "voided"
	Refunded          Status = "refunded"
	PartiallyRefunded Status = "partially_refunded"
)

// Order is a sale to a customer, optionally through a vendor.
type Order struct {
	ID          string
	CustomerID  string
	VendorID    string
	Currency    string
	Status      Status
	Items       []Item
	Total       int64
	VoidReason  string
	CompletedAt time.Time
	VoidedAt    time.Time
	Metadata    map[string]string
	Purchase    PurchaseContext // how the purchase happened and where it went
	Revision    int64           // optimistic concurrency: bumped by the store on every write
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Item is one thing sold; it may be a service line on a panel.
type Item struct {
	Description string
	Amount      int64 // unit price in minor units
	Quantity    int64
	Line        *LineSpec
}

// LineSpec says on which panel an item is activated and under which id.
type LineSpec struct {
	Panel      string
	ExternalID string
}

// NewParams describe an order to create; the currency must be a valid ISO 4217 code.
type NewParams struct {
	ID         string
	CustomerID string
	VendorID   string
	Currency   string
	Items      []Item
	Metadata   map[string]string
	Purchase   PurchaseContext
	Now        time.Time
	LineID     func() string // gives each new line its id
}

const maxItems = 500

// New validates p and returns the order with its service lines, all pending until completion.
func New(p NewParams) (Order, []Line, error) {
	if p.CustomerID == "" {
		return Order{}, nil, fault.Required("customer_id")
	}
	if len(p.Items) == 0 {
		return Order{}, nil, fault.Invalidf(fault.CodeParameterMissing, "items", "an order needs at least one item")
	}
	if len(p.Items) > maxItems {
		return Order{}, nil, fault.Invalidf(fault.CodeInvalidValue, "items", "at most %d items", maxItems)
	}
	purchase, err := p.Purchase.Check()
	if err != nil {
		return Order{}, nil, err
	}
	o := Order{ID: p.ID, CustomerID: p.CustomerID, VendorID: p.VendorID, Currency: p.Currency, Status: Pending,
		Items: p.Items, Metadata: p.Metadata, Purchase: purchase, CreatedAt: p.Now, UpdatedAt: p.Now}
	if o.Metadata == nil {
		o.Metadata = map[string]string{}
	}
	var lines []Line
	for i, it := range p.Items {
		param := func(f string) string { return "items[" + strconv.Itoa(i) + "]." + f }
		if strings.TrimSpace(it.Description) == "" {
			return Order{}, nil, fault.Required(param("description"))
		}
		if len(it.Description) > 500 {
			return Order{}, nil, fault.Invalidf(fault.CodeInvalidValue, param("description"), "longer than 500 characters")
		}
		if it.Amount < 0 {
			return Order{}, nil, fault.Invalidf(fault.CodeInvalidAmount, param("amount"), "amount must not be negative")
		}
		if it.Quantity == 0 {
			p.Items[i].Quantity, it.Quantity = 1, 1
		}
		if it.Quantity < 0 || it.Quantity > 1_000_000 {
			return Order{}, nil, fault.Invalidf(fault.CodeInvalidValue, param("quantity"), "quantity must be between 1 and 1000000")
		}
		sub, err := money.Mul(it.Amount, it.Quantity)
		if err == nil {
			o.Total, err = money.Add(o.Total, sub)
		}
		if err != nil {
			return Order{}, nil, fault.Invalidf(fault.CodeInvalidAmount, param("amount"), "the order total is too large")
		}
		if it.Line != nil {
			if strings.TrimSpace(it.Line.Panel) == "" {
				return Order{}, nil, fault.Required(param("line.panel"))
			}
			if strings.TrimSpace(it.Line.ExternalID) == "" {
				return Order{}, nil, fault.Required(param("line.external_id"))
			}
			lines = append(lines, Line{ID: p.LineID(), OrderID: o.ID, Item: i, Panel: it.Line.Panel,
				ExternalID: it.Line.ExternalID, State: LinePending, CreatedAt: p.Now, UpdatedAt: p.Now})
		}
	}
	return o, lines, nil
}

// Complete marks the order paid and fulfilled; its lines become active. Its status is what its
// payments say from now on (a refund recorded while it was pending counts).
func (o *Order) Complete(lines []Line, p Payments, now time.Time) error {
	if o.Status != Pending {
		return fault.InvalidState(string(o.Status), "complete the order")
	}
	o.CompletedAt = now
	o.Settle(p, now)
	for i := range lines {
		lines[i].State, lines[i].UpdatedAt = LineActive, now
	}
	return nil
}

// Void ends a completed order for good. The caller terminates its lines and closes its open dispute.
func (o *Order) Void(reason string, now time.Time) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return fault.Required("reason")
	}
	if len(reason) > 500 {
		return fault.Invalidf(fault.CodeInvalidValue, "reason", "reason is longer than 500 characters")
	}
	if o.Status != Completed {
		return fault.InvalidState(string(o.Status), "void the order")
	}
	o.VoidReason, o.VoidedAt = reason, now
	o.Settle(Payments{}, now) // a voided order's status no longer follows its payments
	return nil
}

// CheckDisputable says whether an admin may open a manual dispute on the order.
func (o *Order) CheckDisputable() error {
	if o.Status != Completed {
		return fault.InvalidState(string(o.Status), "dispute the order")
	}
	return nil
}

// CheckChangeable refuses any change to a voided order.
func (o *Order) CheckChangeable(action string) error {
	if o.Status == Voided {
		return fault.InvalidState(string(o.Status), action)
	}
	return nil
}

// Payments are what an order's transactions took from the customer and gave back.
type Payments struct {
	Captured int64 // charges and captures
	Refunded int64 // refunds, external ones included
}

// PaymentsOf sums the payments among an order's transactions. Withdrawals by a lost chargeback
// are not refunds: the order stays completed and its dispute tells the rest.
func PaymentsOf(txns []Transaction) (Payments, error) {
	var p Payments
	var err error
	for _, t := range txns {
		switch {
		case t.Captures():
			p.Captured, err = money.Add(p.Captured, t.Amount)
		case t.Kind == Refund:
			p.Refunded, err = money.Add(p.Refunded, t.Amount)
		}
		if err != nil { // refunds never exceed captures: a sum this large is a corrupt record
			return Payments{}, fmt.Errorf("the transactions of order %s: %w", t.OrderID, err)
		}
	}
	return p, nil
}

// StatusOf is the order's status, derived here and nowhere else: pending until completed, voided
// once voided (final); in between, what its payments say: refunded when nothing captured is left,
// partially refunded when something was given back, completed otherwise. A dispute's resolution
// moves the status only through the refund it records, so that the status and the money agree
// (a partial_refund of the whole charge leaves the order refunded).
func StatusOf(o Order, p Payments) Status {
	switch {
	case !o.VoidedAt.IsZero():
		return Voided
	case o.CompletedAt.IsZero():
		return Pending
	case p.Refunded <= 0:
		return Completed
	case p.Refunded >= p.Captured:
		return Refunded
	}
	return PartiallyRefunded
}

// Settle sets the status StatusOf derives, the one writer of Status; it reports the status the
// order had and whether it changed.
func (o *Order) Settle(p Payments, now time.Time) (from Status, changed bool) {
	from = o.Status
	if s := StatusOf(*o, p); s != from {
		o.Status, o.UpdatedAt = s, now
		return from, true
	}
	return from, false
}
