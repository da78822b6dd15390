package app

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/money"
	"disputed/internal/notify"
	"disputed/internal/order"
	"disputed/internal/store"
)

// OrderView is an order as the API shows it: with its lines and its open dispute, if any.
type OrderView struct {
	Order   order.Order
	Lines   []order.Line
	Dispute *dispute.Dispute // the open dispute
}

// NeedsManualAction reports whether a line waits for an action.
func (v OrderView) NeedsManualAction() bool { return order.NeedsManualAction(v.Lines) }

// OrderParams create an order.
type OrderParams struct {
	CustomerID string
	VendorID   string
	Currency   string
	Items      []ItemParams
	Metadata   map[string]string
	Purchase   order.PurchaseContext
}

// ItemParams are one item of a new order; the price is in the order's currency and may be zero.
type ItemParams struct {
	Description   string
	Amount        *int64
	AmountDecimal *string
	Quantity      int64
	Line          *order.LineSpec
}

func items(ps []ItemParams, cur string) ([]order.Item, error) {
	out := make([]order.Item, len(ps))
	for i, p := range ps {
		param := "items[" + strconv.Itoa(i) + "].amount"
		it := order.Item{Description: p.Description, Quantity: p.Quantity, Line: p.Line}
		switch {
		case p.Amount != nil && p.AmountDecimal != nil:
			return nil, fault.Invalidf(fault.CodeInvalidValue, param, "give amount or amount_decimal, not both")
		case p.Amount != nil:
			it.Amount = *p.Amount
		case p.AmountDecimal != nil:
			v, err := money.ParseDecimal(*p.AmountDecimal, cur)
			if err != nil {
				return nil, amountError(err, param+"_decimal", cur)
			}
			it.Amount = v
		default:
			return nil, fault.Required(param)
		}
		out[i] = it
	}
	return out, nil
}

// CreateOrder records a pending order and its lines.
func (a *App) CreateOrder(ctx context.Context, who actor.Actor, p OrderParams) (OrderView, error) {
	if err := staff(who, "create orders"); err != nil {
		return OrderView{}, err
	}
	cur, err := money.ParseCurrency(p.Currency)
	if err != nil {
		if p.Currency == "" {
			return OrderView{}, fault.Required("currency")
		}
		return OrderView{}, fault.Invalidf(fault.CodeUnknownCurrency, "currency", "%q is not an ISO 4217 currency", p.Currency)
	}
	its, err := items(p.Items, cur)
	if err != nil {
		return OrderView{}, err
	}
	var v OrderView
	err = a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		if p.CustomerID != "" {
			if _, err := tx.GetCustomer(ctx, p.CustomerID); err != nil {
				if errors.Is(err, store.ErrNotFound) {
					return fault.Invalidf(fault.CodeInvalidValue, "customer_id", "no customer with id %q", p.CustomerID)
				}
				return err
			}
		}
		o, lines, err := order.New(order.NewParams{ID: a.ids.New("ord"), CustomerID: p.CustomerID, VendorID: p.VendorID,
			Currency: cur, Items: its, Metadata: p.Metadata, Purchase: p.Purchase, Now: now, LineID: func() string { return a.ids.New("line") }})
		if err != nil {
			return err
		}
		if err := checkPanels(ctx, tx, p.Items); err != nil {
			return err
		}
		o.Revision = 1
		if err := tx.InsertOrder(ctx, o); err != nil {
			return err
		}
		for i := range lines {
			lines[i].Revision = 1
			if err := tx.InsertLine(ctx, lines[i]); err != nil {
				return err
			}
		}
		v = OrderView{Order: o, Lines: lines}
		if err := a.timeline(ctx, tx, now, entry{orderID: o.ID, actor: who.String(), action: "order_created", to: string(o.Status)}); err != nil {
			return err
		}
		return a.emit(ctx, tx, now, "order.created", "", o.ID, v)
	})
	return v, err
}

// Order returns one order with its lines and open dispute.
func (a *App) Order(ctx context.Context, who actor.Actor, id string) (OrderView, error) {
	o, err := a.store.GetOrder(ctx, id)
	if err != nil {
		return OrderView{}, store.NotFound(err, "order", id)
	}
	if !sees(who, o.CustomerID, o.VendorID) {
		return OrderView{}, fault.NotFoundf("order", id)
	}
	return a.orderView(ctx, a.store, o)
}

func (a *App) orderView(ctx context.Context, r store.Reader, o order.Order) (OrderView, error) {
	lines, err := r.LinesOfOrder(ctx, o.ID)
	if err != nil {
		return OrderView{}, err
	}
	v := OrderView{Order: o, Lines: lines}
	d, err := r.OpenDisputeOfOrder(ctx, o.ID)
	switch {
	case err == nil:
		v.Dispute = &d
	case !errors.Is(err, store.ErrNotFound):
		return OrderView{}, err
	}
	return v, nil
}

// ListOrders returns a page of orders, newest first, reading at most the bound of rows a list
// reads: a filter after the first is checked on the orders its index yields.
func (a *App) ListOrders(ctx context.Context, who actor.Actor, f store.OrderFilter) (WalkPage[OrderView], error) {
	f.PartyCustomer, f.PartyVendor = partyLimit(who)
	walk, err := a.store.WalkOrders(ctx, f, a.listReadAtMost)
	if err != nil {
		return WalkPage[OrderView]{}, err
	}
	p := walkPage(walk, f.Page, func(o order.Order) (time.Time, string) { return o.CreatedAt, o.ID })
	out := WalkPage[OrderView]{Rows: make([]OrderView, 0, len(p.Rows)), More: p.More, Stopped: p.Stopped, Next: p.Next}
	for _, o := range p.Rows {
		v, err := a.orderView(ctx, a.store, o)
		if err != nil {
			return WalkPage[OrderView]{}, err
		}
		out.Rows = append(out.Rows, v)
	}
	return out, nil
}

// CompleteOrder marks an order paid and fulfilled; its lines become active.
func (a *App) CompleteOrder(ctx context.Context, who actor.Actor, id string) (OrderView, error) {
	if err := staff(who, "complete orders"); err != nil {
		return OrderView{}, err
	}
	var v OrderView
	err := a.write(ctx, true, func(tx store.Tx, now time.Time) error {
		o, err := tx.GetOrder(ctx, id)
		if err != nil {
			return store.NotFound(err, "order", id)
		}
		lines, err := tx.LinesOfOrder(ctx, id)
		if err != nil {
			return err
		}
		txns, err := tx.TransactionsOfOrder(ctx, id)
		if err != nil {
			return err
		}
		paid, err := order.PaymentsOf(txns)
		if err != nil {
			return err
		}
		from := o.Status
		if err := o.Complete(lines, paid, now); err != nil {
			return err
		}
		if err := tx.UpdateOrder(ctx, o); err != nil {
			return err
		}
		for _, l := range lines {
			if err := tx.UpdateLine(ctx, l); err != nil {
				return err
			}
		}
		if err := a.timeline(ctx, tx, now, entry{orderID: id, actor: who.String(), action: "order_completed", from: string(from), to: string(o.Status)}); err != nil {
			return err
		}
		v, err = a.reloadOrder(ctx, tx, id)
		return err
	})
	return v, err
}

// UpdateOrderParams change an order after the fact: its purchase context (the tracking number
// known once the goods shipped).
type UpdateOrderParams struct {
	Purchase order.PurchasePatch
}

// UpdateOrder changes an order read at revision, refused (revision_conflict) when it changed since.
// A change is one timeline entry naming the fields and one order.updated; a request that changes
// nothing writes nothing.
func (a *App) UpdateOrder(ctx context.Context, who actor.Actor, id string, revision int64, p UpdateOrderParams) (OrderView, error) {
	if err := staff(who, "update orders"); err != nil {
		return OrderView{}, err
	}
	var v OrderView
	err := a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		o, err := tx.GetOrder(ctx, id)
		if err != nil {
			return store.NotFound(err, "order", id)
		}
		if o.Revision != revision {
			return revisionConflict("order", revision)
		}
		changed, err := o.UpdatePurchase(p.Purchase, now)
		if err != nil {
			return err
		}
		if len(changed) == 0 {
			v, err = a.orderView(ctx, tx, o)
			return err
		}
		if err := tx.UpdateOrder(ctx, o); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return revisionConflict("order", revision)
			}
			return err
		}
		if err := a.timeline(ctx, tx, now, entry{orderID: id, actor: who.String(), action: "order_updated", note: strings.Join(changed, ", ")}); err != nil {
			return err
		}
		v, err = a.reloadOrder(ctx, tx, id)
		return err
	})
	return v, err
}

// VoidParams void an order.
type VoidParams struct{ Reason string }

// VoidOrder ends a completed order for good: its lines are terminated and an open dispute on it
// is closed as voided.
func (a *App) VoidOrder(ctx context.Context, who actor.Actor, id string, p VoidParams) (OrderView, error) {
	if err := adminOnly(who, "void orders"); err != nil {
		return OrderView{}, err
	}
	var v OrderView
	err := a.write(ctx, true, func(tx store.Tx, now time.Time) error {
		o, err := tx.GetOrder(ctx, id)
		if err != nil {
			return store.NotFound(err, "order", id)
		}
		if err := o.Void(p.Reason, now); err != nil {
			return err
		}
		if err := tx.UpdateOrder(ctx, o); err != nil {
			return err
		}
		if err := a.timeline(ctx, tx, now, entry{orderID: id, actor: who.String(), action: "order_voided", from: string(order.Completed), to: string(order.Voided), note: o.VoidReason}); err != nil {
			return err
		}
		d, err := tx.OpenDisputeOfOrder(ctx, id)
		var closed *dispute.Dispute
		switch {
		case err == nil:
			closed = &d
			prev := d
			ch, err := d.Void(o.VoidReason, who, now)
			if err != nil {
				return err
			}
			if err := a.commitDispute(ctx, tx, now, who, &d, prev, ch); err != nil {
				return err
			}
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		if err := a.requestLines(ctx, tx, now, who, id, "", order.Terminate); err != nil {
			return err
		}
		v, err = a.reloadOrder(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := a.emit(ctx, tx, now, "order.voided", "", id, v); err != nil {
			return err
		}
		return a.mail(ctx, tx, now, notify.OrderVoided, v.Order, closed)
	})
	return v, err
}

// reloadOrder reads the order again after writes (the store bumped its revision).
func (a *App) reloadOrder(ctx context.Context, r store.Reader, id string) (OrderView, error) {
	o, err := r.GetOrder(ctx, id)
	if err != nil {
		return OrderView{}, err
	}
	return a.orderView(ctx, r, o)
}

// OrderTimeline returns the order's audit trail, oldest first.
func (a *App) OrderTimeline(ctx context.Context, who actor.Actor, id string) ([]store.TimelineEntry, error) {
	if err := staff(who, "read timelines"); err != nil {
		return nil, err
	}
	if _, err := a.store.GetOrder(ctx, id); err != nil {
		return nil, store.NotFound(err, "order", id)
	}
	return a.store.ListTimeline(ctx, store.TimelineFilter{OrderID: id})
}
