package app

import (
	"context"
	"errors"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/store"
)

// TransactionView is a transaction as the API shows it: a charge with its refunds.
type TransactionView struct {
	Transaction order.Transaction
	Refunds     []order.Transaction
	// ActiveDispute is the open dispute on this payment: one matched to it, or one on its order
	// that names no payment.
	ActiveDispute *dispute.Dispute
}

// TransactionParams record a transaction.
type TransactionParams struct {
	Kind string
	Money
	OrderID           string
	ParentID          string
	Provider          string
	ProviderReference string
	ARN               string
	Purchase          order.PurchaseContext
	Channel           string // card_present, card_not_present, or "" (a child: its parent's)
	IsExternal        bool
	Reason            string
	// Force records a refund of a charge that an open chargeback disputes (admins, with Reason).
	Force bool
	// CreatedAt is when a transaction recorded after the fact (an import, a back-fill) happened;
	// zero for now. See recordedAt.
	CreatedAt time.Time
}

// CreateTransaction records a movement of money and applies it to its parent.
func (a *App) CreateTransaction(ctx context.Context, who actor.Actor, p TransactionParams) (TransactionView, error) {
	if err := staff(who, "record transactions"); err != nil {
		return TransactionView{}, err
	}
	kind, err := order.ParseKind(p.Kind)
	if err != nil {
		return TransactionView{}, err
	}
	force := ForceParams{Force: p.Force, Reason: p.Reason}
	if p.Force && kind != order.Refund {
		return TransactionView{}, fault.Invalidf(fault.CodeInvalidValue, "force", "force applies to refunds only")
	}
	if err := checkForce(who, force); err != nil {
		return TransactionView{}, err
	}
	var view TransactionView
	err = a.write(ctx, true, func(tx store.Tx, now time.Time) error {
		var parent *order.Transaction
		if p.ParentID != "" {
			t, err := tx.GetTransaction(ctx, p.ParentID)
			if errors.Is(err, store.ErrNotFound) {
				return fault.Invalidf(fault.CodeInvalidValue, "parent_id", "no transaction with id %q", p.ParentID)
			} else if err != nil {
				return err
			}
			parent = &t
		}
		var o *order.Order
		orderID := p.OrderID
		if orderID == "" && parent != nil {
			orderID = parent.OrderID
		}
		if orderID != "" {
			got, err := tx.GetOrder(ctx, orderID)
			if errors.Is(err, store.ErrNotFound) {
				return fault.Invalidf(fault.CodeInvalidValue, "order_id", "no order with id %q", orderID)
			} else if err != nil {
				return err
			}
			if parent != nil && parent.OrderID != "" && parent.OrderID != got.ID {
				return fault.Invalidf(fault.CodeInvalidValue, "order_id", "the parent transaction belongs to order %s", parent.OrderID)
			}
			o = &got
		}
		fallback := ""
		if parent != nil {
			fallback = parent.Currency
		}
		cur, err := currency(p.Currency, fallback)
		if err != nil {
			return err
		}
		amount, given, err := p.resolve(cur, "amount")
		if err != nil {
			return err
		}
		if !given && kind != order.Void && kind != order.Refund {
			return fault.Required("amount")
		}
		created, err := recordedAt(p.CreatedAt, now)
		if err != nil {
			return err
		}
		t := order.Transaction{ID: a.ids.New("txn"), Kind: kind, Amount: amount, Currency: cur,
			Provider: p.Provider, ProviderReference: p.ProviderReference, ARN: p.ARN, Purchase: p.Purchase,
			Channel: order.Channel(p.Channel), External: p.IsExternal, Reason: p.Reason, CreatedAt: created, UpdatedAt: now}
		if kind == order.Refund {
			if parent == nil {
				return fault.Invalidf(fault.CodeInvalidValue, "parent_id", "a refund needs a charge or capture as parent_id")
			}
			if !given {
				t.Amount = parent.Refundable()
			}
			if known, ok, err := knownRefund(ctx, tx, parent.ID, t); err != nil || ok {
				// Told again of a refund recorded already: answered with it, whatever has happened since.
				view = TransactionView{Transaction: known}
				return err
			}
			overridden, err := guardDisputed(ctx, tx, parent, force)
			if err != nil {
				return err
			}
			r, err := a.refund(ctx, tx, now, who, parent, t, "")
			if err != nil {
				return err
			}
			view = TransactionView{Transaction: r}
			return a.noteForced(ctx, tx, now, who, overridden, r, p.Reason)
		}
		t, err = order.NewTransaction(t, parent, o)
		if err != nil {
			return err
		}
		view, err = a.insertTransaction(ctx, tx, now, who, t, parent)
		return err
	})
	return view, err
}

// insertTransaction records t, checked by order.NewTransaction, inside tx: a capture or a void
// moves its authorization, and the timeline and the transaction.created event go with it. Refunds
// are recorded by recordRefund.
func (a *App) insertTransaction(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, t order.Transaction, parent *order.Transaction) (TransactionView, error) {
	if err := tx.InsertTransaction(ctx, t); err != nil {
		return TransactionView{}, err
	}
	if parent != nil {
		adj := store.Adjustment{Captured: t.Amount, At: now}
		if t.Kind == order.Void {
			adj = store.Adjustment{Void: true, At: now}
		}
		if err := tx.AdjustTransaction(ctx, parent.ID, adj); err != nil {
			return TransactionView{}, err
		}
	}
	if err := a.timeline(ctx, tx, now, entry{orderID: t.OrderID, actor: who.String(), action: "transaction_created", to: string(t.Kind), note: t.ID}); err != nil {
		return TransactionView{}, err
	}
	view := TransactionView{Transaction: t}
	return view, a.emit(ctx, tx, now, "transaction.created", "", t.OrderID, view)
}

// clockSkew is how far ahead of our clock a client's "now" may be.
const clockSkew = 5 * time.Minute

// recordedAt is the created_at of a transaction recorded at now that says it happened at given:
// now when it says nothing; given, at the store's precision, when it lies in the past; now when
// it lies within clockSkew ahead (the client's clock runs ahead of ours, and a charge after now
// would precede its own refunds). Further ahead is refused. A charge may precede its order's
// creation: an order is often recorded in disputed later than its payment happened (an import).
func recordedAt(given, now time.Time) (time.Time, error) {
	switch {
	case given.IsZero() || (given.After(now) && !given.After(now.Add(clockSkew))):
		return now, nil
	case given.After(now):
		return time.Time{}, fault.Invalidf(fault.CodeInvalidValue, "created_at", "created_at is in the future")
	}
	return store.AtPrecision(given), nil
}

// Transaction returns one transaction with its refunds.
func (a *App) Transaction(ctx context.Context, who actor.Actor, id string) (TransactionView, error) {
	t, err := a.store.GetTransaction(ctx, id)
	if err != nil {
		return TransactionView{}, store.NotFound(err, "transaction", id)
	}
	if !sees(who, t.CustomerID, t.VendorID) {
		return TransactionView{}, fault.NotFoundf("transaction", id)
	}
	return a.transactionView(ctx, a.store, t)
}

// TransactionPage is a page of the transaction list and where the next one starts.
type TransactionPage struct {
	Transactions []TransactionView
	// More tells that the list goes on, with Next. Stopped tells that the page ends where the
	// list stopped at its bound of rows read (Options.ListReadAtMost), not where it found a page
	// full: it may hold fewer transactions than its limit, or none, and Next goes on from the
	// last transaction read.
	More, Stopped bool
	Next          store.TransactionFilter
}

// ListTransactions returns a page of transactions, newest first, each as Transaction returns it,
// reading at most the bound of rows a list reads. A buyer or vendor sees only its own, as for
// orders.
func (a *App) ListTransactions(ctx context.Context, who actor.Actor, f store.TransactionFilter) (TransactionPage, error) {
	f.PartyCustomer, f.PartyVendor = partyLimit(who)
	if f.CardNetwork != "" {
		c, err := order.PurchaseContext{CardNetwork: f.CardNetwork}.Check()
		if err != nil {
			return TransactionPage{}, err
		}
		f.CardNetwork = c.CardNetwork
	}
	if _, err := order.ParseChannel(f.Channel); err != nil {
		return TransactionPage{}, err
	}
	walk, err := a.store.WalkTransactions(ctx, f, a.listReadAtMost)
	if err != nil {
		return TransactionPage{}, err
	}
	ts, next, more := walk.Next(f.Page, func(t order.Transaction) (time.Time, string) { return t.CreatedAt, t.ID })
	f.Page = next
	out := make([]TransactionView, 0, len(ts))
	for _, t := range ts {
		v, err := a.transactionView(ctx, a.store, t)
		if err != nil {
			return TransactionPage{}, err
		}
		out = append(out, v)
	}
	return TransactionPage{Transactions: out, More: more, Stopped: walk.Stopped, Next: f}, nil
}

func (a *App) transactionView(ctx context.Context, r store.Reader, t order.Transaction) (TransactionView, error) {
	v := TransactionView{Transaction: t}
	if !t.Captures() {
		return v, nil
	}
	children, err := r.ChildTransactions(ctx, t.ID)
	if err != nil {
		return TransactionView{}, err
	}
	for _, c := range children {
		if c.Kind == order.Refund {
			v.Refunds = append(v.Refunds, c)
		}
	}
	if t.OrderID == "" {
		return v, nil
	}
	open, err := r.OpenDisputeOfOrder(ctx, t.OrderID)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return TransactionView{}, err
	case open.TransactionID == "" || open.TransactionID == t.ID:
		v.ActiveDispute = &open
	}
	return v, nil
}

// RefundParams refund a charge; a nil amount refunds all that is left. Force refunds a charge
// that an open chargeback disputes (admins, with Reason).
type RefundParams struct {
	Money
	IsExternal bool
	Reason     string
	Force      bool
}

// Refund gives money of a charge back to the customer.
func (a *App) Refund(ctx context.Context, who actor.Actor, chargeID string, p RefundParams) (order.Transaction, error) {
	if err := staff(who, "refund"); err != nil {
		return order.Transaction{}, err
	}
	force := ForceParams{Force: p.Force, Reason: p.Reason}
	if err := checkForce(who, force); err != nil {
		return order.Transaction{}, err
	}
	var out order.Transaction
	err := a.write(ctx, true, func(tx store.Tx, now time.Time) error {
		charge, err := tx.GetTransaction(ctx, chargeID)
		if err != nil {
			return store.NotFound(err, "transaction", chargeID)
		}
		if !charge.Captures() {
			return fault.Invalidf(fault.CodeInvalidValue, "id", "only a charge or a capture can be refunded, not a %s", charge.Kind)
		}
		cur, err := currency(p.Currency, charge.Currency)
		if err != nil {
			return err
		}
		amount, given, err := p.resolve(cur, "amount")
		if err != nil {
			return err
		}
		if !given {
			amount = charge.Refundable()
		}
		overridden, err := guardDisputed(ctx, tx, &charge, force)
		if err != nil {
			return err
		}
		out, err = a.refund(ctx, tx, now, who, &charge, order.Transaction{ID: a.ids.New("txn"), Amount: amount, Currency: cur,
			External: p.IsExternal, Reason: p.Reason, CreatedAt: now}, "")
		if err != nil {
			return err
		}
		return a.noteForced(ctx, tx, now, who, overridden, out, p.Reason)
	})
	return out, err
}

// refund records t as a refund of charge inside tx, then settles the order's status.
func (a *App) refund(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, charge *order.Transaction, t order.Transaction, disputeID string) (order.Transaction, error) {
	r, err := a.recordRefund(ctx, tx, now, who, charge, t, disputeID)
	if err != nil {
		return order.Transaction{}, err
	}
	return r, a.settleOrderStatus(ctx, tx, now, who, r.OrderID)
}

// recordRefund records t as a refund of charge inside tx: the charge's refunded amount, the
// timeline and the refund.created event move together. The caller settles the order's status
// once it recorded every refund it makes, so that the order's timeline says where the money
// ended, not each step on the way.
//
// Every refund is recorded here, and here is the rule that a refund the provider knows by a
// reference is recorded once: a refund of the charge with the same provider reference (the job
// that refunded through the provider, the provider's report of that refund, the API told of it,
// a retry of any of them) is returned as it stands, and nothing is written.
func (a *App) recordRefund(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, charge *order.Transaction, t order.Transaction, disputeID string) (order.Transaction, error) {
	if known, ok, err := knownRefund(ctx, tx, charge.ID, t); err != nil || ok {
		return known, err
	}
	if charge.OrderID != "" {
		o, err := tx.GetOrder(ctx, charge.OrderID)
		if err != nil {
			return order.Transaction{}, err
		}
		if err := o.CheckChangeable("refund"); err != nil {
			return order.Transaction{}, err
		}
	}
	t.DisputeID = disputeID
	r, err := order.RefundOf(charge, t)
	if err != nil {
		return order.Transaction{}, err
	}
	if err := tx.InsertTransaction(ctx, r); err != nil {
		return order.Transaction{}, err
	}
	if err := tx.AdjustTransaction(ctx, charge.ID, store.Adjustment{Refunded: r.Amount, At: now}); err != nil {
		return order.Transaction{}, err
	}
	if err := a.timeline(ctx, tx, now, entry{disputeID: disputeID, orderID: r.OrderID, actor: who.String(), action: "refund_created", note: r.ID}); err != nil {
		return order.Transaction{}, err
	}
	return r, a.emit(ctx, tx, now, "refund.created", disputeID, r.OrderID, TransactionView{Transaction: r})
}

// knownRefund returns the refund of charge chargeID that the provider knows by t's reference;
// ok is false when t has none or none is recorded.
// The charge's row is locked first, so that two transactions recording the same refund at once
// (PostgreSQL reads committed rows) take turns and the second finds the first's.
func knownRefund(ctx context.Context, tx store.Tx, chargeID string, t order.Transaction) (order.Transaction, bool, error) {
	if t.ProviderReference == "" {
		return order.Transaction{}, false, nil
	}
	if err := tx.AdjustTransaction(ctx, chargeID, store.Adjustment{}); err != nil {
		return order.Transaction{}, false, err
	}
	children, err := tx.ChildTransactions(ctx, chargeID)
	if err != nil {
		return order.Transaction{}, false, err
	}
	for _, c := range children {
		if c.Kind == order.Refund && c.ProviderReference == t.ProviderReference && (c.Provider == t.Provider || c.Provider == "" || t.Provider == "") {
			return c, true, nil
		}
	}
	return order.Transaction{}, false, nil
}

// settleOrderStatus sets the status the payments of order orderID imply (order.StatusOf): the
// one place that writes an order's status after it was completed, with its timeline entry. A
// payment of no order has none to settle.
func (a *App) settleOrderStatus(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, orderID string) error {
	if orderID == "" {
		return nil
	}
	o, err := tx.GetOrder(ctx, orderID)
	if err != nil {
		return err
	}
	txns, err := tx.TransactionsOfOrder(ctx, o.ID)
	if err != nil {
		return err
	}
	p, err := order.PaymentsOf(txns)
	if err != nil {
		return err
	}
	from, changed := o.Settle(p, now)
	if !changed {
		return nil
	}
	if err := tx.UpdateOrder(ctx, o); err != nil {
		return err
	}
	return a.timeline(ctx, tx, now, entry{orderID: o.ID, actor: who.String(), action: "order_status_changed", from: string(from), to: string(o.Status)})
}
