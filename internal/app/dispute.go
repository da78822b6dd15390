package app

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/store"
)

// DisputeParams open a dispute of any kind.
type DisputeParams struct {
	Type      string
	AlertType string
	Stage     string
	Money
	Reason            string
	NetworkReasonCode string
	Description       string
	TransactionID     string
	OrderID           string
	InitiatedBy       string
	Provider          string
	ProviderDisputeID string
	CaseNumber        string
	ARN               string
	ExternalReference string
	HappenedAt        time.Time
	DueBy             time.Time
	Tags              []string
	Metadata          map[string]string
	// ExtendedFields are values of the extended fields defined in the settings, checked there.
	ExtendedFields map[string]json.RawMessage
	Livemode       bool
}

// CreateDispute opens a dispute: it is matched to its charge (by id, or by ARN for alerts),
// the order's lines are suspended, the customer is blocked when the setting says so, and an RDR
// alert resolves itself with an external refund.
func (a *App) CreateDispute(ctx context.Context, who actor.Actor, p DisputeParams) (dispute.Dispute, error) {
	if err := a.mayOpen(who, &p); err != nil {
		return dispute.Dispute{}, err
	}
	var d dispute.Dispute
	err := a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		charge, o, err := a.disputedSale(ctx, tx, who, p)
		if err != nil {
			return err
		}
		if o != nil && (dispute.Type(p.Type) == dispute.Manual || dispute.Type(p.Type) == dispute.Marketplace) {
			if err := o.CheckDisputable(); err != nil {
				return err
			}
		}
		fallback := ""
		switch {
		case charge != nil:
			fallback = charge.Currency
		case o != nil:
			fallback = o.Currency
		}
		cur := ""
		if p.Currency != "" || fallback != "" || p.Amount != nil || p.AmountDecimal != nil {
			if cur, err = currency(p.Currency, fallback); err != nil {
				return err
			}
		}
		amount, _, err := p.resolve(cur, "amount")
		if err != nil {
			return err
		}
		defs, err := a.fieldDefinitions(ctx, tx, who, p.ExtendedFields)
		if err != nil {
			return err
		}
		np := dispute.NewParams{ID: a.ids.New("dsp"), ExtendedFields: p.ExtendedFields, FieldDefinitions: defs, Type: dispute.Type(p.Type), AlertType: dispute.AlertType(p.AlertType),
			Stage: dispute.Stage(p.Stage), Reason: p.Reason, NetworkReasonCode: p.NetworkReasonCode, Description: p.Description,
			Amount: amount, Currency: cur, InitiatedBy: dispute.Party(p.InitiatedBy), Provider: p.Provider,
			ProviderDisputeID: p.ProviderDisputeID, CaseNumber: p.CaseNumber, ARN: p.ARN, ExternalReference: p.ExternalReference,
			HappenedAt: p.HappenedAt, DueBy: p.DueBy, Tags: p.Tags, Metadata: p.Metadata, Livemode: p.Livemode, Now: now}
		if charge != nil {
			np.Charge = chargeRef(*charge)
		}
		if o != nil {
			np.OrderID, np.CustomerID, np.VendorID = o.ID, o.CustomerID, o.VendorID
			np.OrderTotal, np.OrderCurrency = o.Total, o.Currency
		}
		d, err = a.openDispute(ctx, tx, now, who, np)
		return err
	})
	return seenBy(who, d), err
}

// openDispute inserts a new dispute and carries out what opening it means.
func (a *App) openDispute(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, np dispute.NewParams) (dispute.Dispute, error) {
	if np.Type == dispute.Alert {
		settings, err := tx.GetSettings(ctx)
		if err != nil {
			return dispute.Dispute{}, err
		}
		np.AlertWindows = dispute.AlertWindows(settings.AlertRefundWindows)
	}
	d, ch, err := dispute.New(np)
	if err != nil {
		return dispute.Dispute{}, err
	}
	if d.Type == dispute.Marketplace {
		if err := onlyDispute(ctx, tx, d.OrderID); err != nil {
			return dispute.Dispute{}, err
		}
	}
	if d.OrderID != "" {
		if open, err := tx.OpenDisputeOfOrder(ctx, d.OrderID); err == nil {
			return dispute.Dispute{}, disputeExists(open.ID)
		} else if !errors.Is(err, store.ErrNotFound) {
			return dispute.Dispute{}, err
		}
	}
	if err := a.estimateFees(ctx, tx, &d); err != nil {
		return dispute.Dispute{}, err
	}
	if err := tx.InsertDispute(ctx, d); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return dispute.Dispute{}, disputeExists("")
		}
		return dispute.Dispute{}, err
	}
	if err := a.record(ctx, tx, now, who, &d, ch); err != nil {
		return dispute.Dispute{}, err
	}
	if err := a.blockOnDispute(ctx, tx, now, who, d); err != nil {
		return dispute.Dispute{}, err
	}
	if err := a.planDeadlines(ctx, tx, now, d); err != nil {
		return dispute.Dispute{}, err
	}
	prev := d
	if rdr, ok := d.AutoResolveRDR(now); ok {
		if err := a.commitDispute(ctx, tx, now, actor.System, &d, prev, rdr); err != nil {
			return dispute.Dispute{}, err
		}
		return d, nil
	}
	return d, a.scheduleRules(ctx, tx, now, now, d)
}

// onlyDispute is the marketplace's rule that an order is disputed once, ever: a buyer or vendor
// who lost (or settled) a dispute cannot open another on the same order, nor open one after a
// chargeback or an admin's case on it.
func onlyDispute(ctx context.Context, r store.Reader, orderID string) error {
	ds, err := r.ListDisputes(ctx, store.DisputeFilter{OrderID: orderID, Page: store.Page{Limit: 1}})
	if err != nil {
		return err
	}
	if len(ds) > 0 {
		return fault.New(fault.Conflict, fault.CodeDisputeExists, "order_id",
			"the order has already been disputed (%s): an order is disputed once", ds[0].ID)
	}
	return nil
}

func disputeExists(openID string) error {
	if openID == "" {
		return fault.New(fault.Conflict, fault.CodeDisputeExists, "order_id", "the order already has an open dispute")
	}
	return fault.New(fault.Conflict, fault.CodeDisputeExists, "order_id", "the order already has an open dispute (%s)", openID)
}

// mayOpen checks who may open the dispute: staff any kind; a buyer or vendor only a marketplace
// dispute, as its own side.
func (a *App) mayOpen(who actor.Actor, p *DisputeParams) error {
	if who.IsStaff() {
		return nil
	}
	if p.Type != string(dispute.Marketplace) {
		return forbidden("open " + p.Type + " disputes")
	}
	if !p.DueBy.IsZero() {
		// The response window is the marketplace's rule, the same for both sides: a party who set
		// it could give the other side seconds to answer.
		return fault.New(fault.Forbidden, fault.CodeForbidden, "due_by", "a %s cannot set the due date: staff set it", who.Role)
	}
	side := string(who.Role)
	if p.InitiatedBy != "" && p.InitiatedBy != side {
		return fault.Invalidf(fault.CodeInvalidValue, "initiated_by", "a %s key opens disputes as the %s", side, side)
	}
	p.InitiatedBy = side
	return nil
}

// disputedSale finds the charge and the order a new dispute is about.
func (a *App) disputedSale(ctx context.Context, tx store.Tx, who actor.Actor, p DisputeParams) (*order.Transaction, *order.Order, error) {
	var charge *order.Transaction
	switch {
	case p.TransactionID != "":
		t, err := disputedCharge(ctx, tx, who, p.TransactionID)
		if err != nil {
			return nil, nil, err
		}
		charge = &t
	case p.ARN != "" && p.OrderID == "":
		t, err := tx.FindTransactionByARN(ctx, p.ARN)
		if err == nil && sees(who, t.CustomerID, t.VendorID) {
			charge = &t
		} else if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, nil, err
		}
	}
	orderID := p.OrderID
	if charge != nil && charge.OrderID != "" {
		if orderID != "" && orderID != charge.OrderID {
			return nil, nil, fault.Invalidf(fault.CodeInvalidValue, "order_id", "the transaction belongs to order %s", charge.OrderID)
		}
		orderID = charge.OrderID
	}
	if orderID == "" {
		return charge, nil, nil
	}
	o, err := tx.GetOrder(ctx, orderID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, fault.Invalidf(fault.CodeInvalidValue, "order_id", "no order with id %q", orderID)
	} else if err != nil {
		return nil, nil, err
	}
	if !sees(who, o.CustomerID, o.VendorID) {
		return nil, nil, fault.Invalidf(fault.CodeInvalidValue, "order_id", "no order with id %q", orderID)
	}
	if err := o.CheckChangeable("open a dispute"); err != nil {
		return nil, nil, err
	}
	if charge == nil {
		if charge, err = firstCharge(ctx, tx, o.ID); err != nil {
			return nil, nil, err
		}
	}
	return charge, &o, nil
}

// disputedCharge finds the charge a dispute names: by our transaction id, or else by the
// provider's reference for it (a chargeback quotes the provider's charge id). It must hold
// captured money. Another party's charge does not exist for a buyer or vendor, who must not
// learn of it (nor of its kind or its order) from the answer.
func disputedCharge(ctx context.Context, r store.Reader, who actor.Actor, ref string) (order.Transaction, error) {
	t, err := r.GetTransaction(ctx, ref)
	if errors.Is(err, store.ErrNotFound) {
		t, err = r.FindTransaction(ctx, "", ref)
		if err == nil {
			t, err = captureOf(ctx, r, t)
		}
	}
	if err == nil && !sees(who, t.CustomerID, t.VendorID) {
		err = store.ErrNotFound
	}
	if errors.Is(err, store.ErrNotFound) {
		return order.Transaction{}, fault.Invalidf(fault.CodeInvalidValue, "transaction_id", "no transaction with id or provider reference %q", ref)
	} else if err != nil {
		return order.Transaction{}, err
	}
	if !t.Captures() {
		return order.Transaction{}, fault.Invalidf(fault.CodeInvalidValue, "transaction_id", "a dispute challenges a charge or a capture, not a %s", t.Kind)
	}
	return t, nil
}

// firstCharge is the order's first capturing transaction, or nil.
func firstCharge(ctx context.Context, r store.Reader, orderID string) (*order.Transaction, error) {
	txns, err := r.TransactionsOfOrder(ctx, orderID)
	if err != nil {
		return nil, err
	}
	for _, t := range txns {
		if t.Captures() {
			return &t, nil
		}
	}
	return nil, nil
}

func chargeRef(t order.Transaction) *dispute.Charge {
	return &dispute.Charge{ID: t.ID, OrderID: t.OrderID, CustomerID: t.CustomerID, VendorID: t.VendorID, Amount: t.Amount, Currency: t.Currency,
		CardNetwork: t.Purchase.CardNetwork}
}

// ManualDisputeParams open a manual dispute on an order.
type ManualDisputeParams struct {
	Reason            string // coded, one of dispute.Reasons(dispute.Manual)
	Description       string // the case in the admin's words
	ExternalReference string
	EvidenceDueBy     time.Time
}

// OpenManualDispute opens an admin's dispute on a completed order (a PayPal case, a bank letter).
func (a *App) OpenManualDispute(ctx context.Context, who actor.Actor, orderID string, p ManualDisputeParams) (dispute.Dispute, error) {
	if err := staff(who, "open manual disputes"); err != nil {
		return dispute.Dispute{}, err
	}
	if _, err := a.store.GetOrder(ctx, orderID); err != nil {
		return dispute.Dispute{}, store.NotFound(err, "order", orderID)
	}
	return a.CreateDispute(ctx, who, DisputeParams{Type: string(dispute.Manual), OrderID: orderID, Reason: p.Reason, Description: p.Description,
		ExternalReference: p.ExternalReference, DueBy: p.EvidenceDueBy})
}

// Dispute returns one dispute.
func (a *App) Dispute(ctx context.Context, who actor.Actor, id string) (dispute.Dispute, error) {
	d, err := a.store.GetDispute(ctx, id)
	if err != nil {
		return dispute.Dispute{}, store.NotFound(err, "dispute", id)
	}
	if !sees(who, d.CustomerID, d.VendorID) {
		return dispute.Dispute{}, fault.NotFoundf("dispute", id)
	}
	return seenBy(who, d), nil
}

// ListDisputes returns a page of disputes (DisputePage's); the bool tells whether more follow.
func (a *App) ListDisputes(ctx context.Context, who actor.Actor, f store.DisputeFilter, extended map[string]string) ([]dispute.Dispute, bool, error) {
	p, err := a.DisputePage(ctx, who, f, extended)
	return p.Disputes, p.More, err
}

// DisputePage is a page of a dispute list and where the next one starts.
type DisputePage struct {
	Disputes []dispute.Dispute
	// More tells that the list goes on, with Next. Stopped tells that the page ends where the
	// list stopped at its bound of disputes read (Options.ListReadAtMost), not where it found a
	// page full: it may hold fewer disputes than its limit, or none, and Next goes on from the
	// last dispute read.
	More, Stopped bool
	Next          store.DisputeFilter
}

// DisputePage returns a page of disputes in f's order, after f's cursor. extended filters on the
// extended fields by name, each the text of a value of the field's type.
func (a *App) DisputePage(ctx context.Context, who actor.Actor, f store.DisputeFilter, extended map[string]string) (DisputePage, error) {
	f.PartyCustomer, f.PartyVendor = partyLimit(who)
	if len(extended) > 0 {
		if err := staff(who, "filter on extended fields"); err != nil {
			return DisputePage{}, err
		}
		s, err := a.store.GetSettings(ctx)
		if err != nil {
			return DisputePage{}, err
		}
		if f.ExtendedFields, err = dispute.ExtendedFieldFilter(extended, s.ExtendedFields); err != nil {
			return DisputePage{}, err
		}
	}
	walk, err := a.listDisputes(ctx, who, f)
	if err != nil {
		return DisputePage{}, err
	}
	ds, next, more := walk.Next(f)
	for i := range ds {
		ds[i] = seenBy(who, ds[i])
	}
	return DisputePage{Disputes: ds, More: more, Stopped: walk.Stopped, Next: next}, nil
}

// Evidence returns a page of the evidence items appended to a dispute, oldest first; the bool
// tells whether more follow.
func (a *App) Evidence(ctx context.Context, who actor.Actor, id string, page store.Page) ([]dispute.EvidenceItem, bool, error) {
	d, err := a.Dispute(ctx, who, id)
	if err != nil {
		return nil, false, err
	}
	if err := a.OffsetWithin(page, true); err != nil {
		return nil, false, err
	}
	items, err := a.store.ListEvidence(ctx, store.EvidenceFilter{DisputeID: id, Page: page})
	if err != nil {
		return nil, false, err
	}
	items, more := store.Trim(items, page.Limit)
	if !who.Role.Party() {
		return items, more, nil
	}
	items = dispute.PartyEvidence(d.Type, items)
	return items, more && len(items) > 0, nil
}

// Timeline returns a dispute's audit trail, oldest first.
func (a *App) Timeline(ctx context.Context, who actor.Actor, id string) ([]store.TimelineEntry, error) {
	if err := staff(who, "read timelines"); err != nil {
		return nil, err
	}
	if _, err := a.store.GetDispute(ctx, id); err != nil {
		return nil, store.NotFound(err, "dispute", id)
	}
	return a.store.ListTimeline(ctx, store.TimelineFilter{DisputeID: id})
}
