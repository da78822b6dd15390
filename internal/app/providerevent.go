package app

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/provider"
	"disputed/internal/store"
)

// ProviderReceipt says what became of a provider's notification: each of its events is in the
// inbox, to be applied by the appliers.
type ProviderReceipt struct {
	Receipts []provider.Receipt
	answerer provider.Answerer // the adapter, when it shapes its own answers
}

// Answer is the answer the provider expects, when its adapter shapes one; ok is false when the
// server answers with its own JSON.
func (r ProviderReceipt) Answer() (status int, contentType string, body []byte, ok bool) {
	if r.answerer == nil {
		return 0, "", nil, false
	}
	status, contentType, body = r.answerer.Answer(r.Receipts)
	return status, contentType, body, true
}

// ReceiveProviderEvent takes a notification from the named provider: it checks the signature,
// reads the events the notification carries and appends them, raw, to the inbox, committed with
// the notifications that arrive at the same moment (acceptProviderEvents). Under load it returns
// once they are stored, before they are applied: a provider wants its answer fast, and an event
// stored is never lost. A notification that arrives alone is applied before its answer
// (applyWhileIdle). A replay is answered with the event stored first, and not applied again.
func (a *App) ReceiveProviderEvent(ctx context.Context, name string, header http.Header, body []byte) (ProviderReceipt, error) {
	a.receiving.Add(1)
	defer a.receiving.Add(-1)
	if !providerName.MatchString(name) { // no provider can have it: no lookup, and no name of any length in the log
		return ProviderReceipt{}, a.unverified(name[:min(len(name), 64)], errors.New("not a provider name"))
	}
	ad, err := a.receivingAdapter(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return ProviderReceipt{}, a.unverified(name, errors.New("no provider of this name is configured"))
	}
	if err != nil {
		return ProviderReceipt{}, err
	}
	evs, err := ad.Receive(ctx, provider.Request{Header: header, Body: body, Now: a.clock()})
	if errors.Is(err, provider.ErrSignature) {
		return ProviderReceipt{}, a.unverified(name, err)
	}
	if errors.Is(err, provider.ErrPayload) {
		return ProviderReceipt{}, fault.New(fault.Malformed, fault.CodeInvalidPayload, "", "%v", err)
	}
	if err != nil {
		return ProviderReceipt{}, err
	}
	if len(evs) == 0 {
		return ProviderReceipt{}, fault.New(fault.Malformed, fault.CodeInvalidPayload, "", "the notification carries no event")
	}
	alone := a.receiving.Load() == 1 && !a.draining.Load() && !a.deferApplying
	receipts, err := a.acceptProviderEvents(ctx, name, evs, alone)
	if err != nil {
		return ProviderReceipt{}, err
	}
	if alone {
		receipts = a.applyWhileIdle(ctx, receipts)
	}
	res := ProviderReceipt{Receipts: receipts}
	res.answerer, _ = ad.(provider.Answerer)
	return res, nil
}

// applyWhileIdle applies the inbox in the request of a notification that arrived alone (no
// other one being received, and the appliers not draining a backlog: a stream of notifications
// is acknowledged without waiting for its applying even when its requests come one at a time),
// and answers with its events' states then: when nothing else waits, applying takes the few
// milliseconds the appliers would take a moment later, and whoever sent it finds its effects as
// soon as it has its answer. Under load the appliers do it, and the
// answer does not wait. Applying here is applying as the appliers do, each event once; when it
// fails, the events stay pending for them.
func (a *App) applyWhileIdle(ctx context.Context, receipts []provider.Receipt) []provider.Receipt {
	if !slices.ContainsFunc(receipts, func(r provider.Receipt) bool { return r.State == store.EventPending }) {
		return receipts
	}
	out := slices.Clone(receipts)
	// One pass: when it settled events and not all of this one's, a backlog is ahead of them,
	// and the answer does not wait for it (the appliers apply it). The appliers, woken by the
	// commit, may hold this one's events already (another instance too, on PostgreSQL): then
	// the pass settles nothing, and the answer waits a little for theirs.
	for deadline := time.Now().Add(applyWhileIdleWait); ; {
		done, raced, err := a.applyPass(ctx)
		if err != nil {
			a.log.Warn("applying a provider event on arrival; the appliers will", "error", err)
			return out
		}
		pending := false
		for i, r := range out {
			if e, err := a.store.GetProviderEventByID(ctx, r.ID); err == nil {
				out[i].State = e.State
			}
			pending = pending || out[i].State == store.EventPending
		}
		if !pending || done.Applied+done.Failed+raced > 0 || time.Now().After(deadline) || ctx.Err() != nil {
			return out
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// applyWhileIdleWait bounds how long the answer to a notification that arrived alone waits for
// its events to be applied: past it, the answer says pending and the appliers go on.
const applyWhileIdleWait = time.Second

// acceptProviderEvents appends verified, read events of the configured provider name to the
// inbox and returns once they are committed (applying: the caller applies them itself, and no
// applier is woken for them): every writer of provider events (a webhook, an
// import) goes through it. An event without an id cannot be told from its replays: refused.
func (a *App) acceptProviderEvents(ctx context.Context, name string, evs []provider.Event, applying bool) ([]provider.Receipt, error) {
	rows := make([]store.ProviderEvent, len(evs))
	now := a.clock()
	for i := range evs {
		ev := &evs[i]
		ev.Clean()
		if ev.ID == "" {
			return nil, fault.New(fault.Malformed, fault.CodeInvalidPayload, "", "an event of the notification has no id")
		}
		rows[i] = store.ProviderEvent{Provider: name, EventID: ev.ID, Type: ev.Type, Object: ev.Object(), HappenedAt: ev.Created,
			ReceivedAt: now, Payload: []byte(provider.CleanText(string(ev.Payload)))}
	}
	// The events as read now are kept for the appliers, unless what is stored differs from
	// what was read (text cleaned of what a database refuses): an applier reads the stored.
	keep := func(i int, id string) {
		if string(rows[i].Payload) == string(evs[i].Payload) {
			a.parsed.keep(id, evs[i])
		}
	}
	// A notification that carries more events than a group takes is appended a group's worth
	// at a time, so that no statement outgrows the databases' limits on parameters.
	receipts := make([]provider.Receipt, 0, len(rows))
	for chunk := range slices.Chunk(rows, maxInboxGroup) {
		stored, err := a.inbox.append(ctx, chunk, applying)
		if err != nil {
			return nil, err
		}
		for i, e := range stored {
			duplicate := e.ID != chunk[i].ID
			if !duplicate {
				keep(len(receipts), e.ID)
			}
			receipts = append(receipts, provider.Receipt{ID: e.ID, EventID: e.EventID, Duplicate: duplicate, State: e.State})
		}
	}
	return receipts, nil
}

// unverified is the one answer to a notification that is not known to come from a configured
// provider: a bad signature, or a provider name that is not configured. Both answer alike, so that
// nobody learns which providers exist by trying names; why it was refused goes to the log, for the
// merchant setting a provider up.
func (a *App) unverified(name string, why error) error {
	a.log.Info("provider notification refused", "provider", name, "reason", why.Error())
	return fault.New(fault.Unauthenticated, fault.CodeInvalidSignature, "", "the notification's signature could not be verified")
}

// applyInboxEvent does what a stored event says, in tx, and settles rec (its dispute, whether it
// changed anything, its outcome); the caller writes rec's state. A dispute event opens the dispute
// with everything that opening means (match the charge, suspend lines, block the customer, email,
// schedule the deadline) or brings an existing one to where the provider says it is; an event
// older than one already applied to the same dispute is kept but not applied.
func (a *App) applyInboxEvent(ctx context.Context, tx store.Tx, now time.Time, ev provider.Event, rec *store.ProviderEvent) error {
	rec.Applied, rec.Outcome = true, "nothing to do: not an event we handle"
	var err error
	switch {
	case ev.Charge != nil:
		rec.Outcome, err = a.applyProviderCharge(ctx, tx, now, rec.Provider, ev.Charge)
		err = raced(err)
	case ev.Refund != nil:
		rec.Outcome, err = a.applyProviderRefund(ctx, tx, now, rec.Provider, ev.Refund, rec)
	case ev.Dispute != nil:
		err = raced(a.applyProviderEvent(ctx, tx, now, rec.Provider, ev, rec))
	}
	return err
}

// raced turns a conflict the provider did not ask to see into store.ErrConflict, which the write
// retries with a fresh read: another request changed the dispute between this one's read and its
// write, or opened the case's dispute (or another on its order) first. A provider sends no
// revision; a 409 would only have it send the event again hours later.
func raced(err error) error {
	switch fault.Code(err) {
	case fault.CodeRevisionConflict, fault.CodeDisputeExists:
		return store.ErrConflict
	}
	return err
}

// applyProviderEvent does what a dispute event says and writes its timeline entry, with the raw
// payload, on the dispute.
func (a *App) applyProviderEvent(ctx context.Context, tx store.Tx, now time.Time, name string, ev provider.Event, rec *store.ProviderEvent) error {
	pd := ev.Dispute
	who := actor.Provider(name)
	d, err := a.findProviderCase(ctx, tx, name, pd)
	switch {
	case errors.Is(err, store.ErrNotFound):
		var opened bool
		d, opened, err = a.openFromProvider(ctx, tx, now, who, name, pd, rec)
		if err != nil || !opened {
			return err
		}
	case err != nil:
		return err
	default:
		last, err := tx.LastProviderEventAt(ctx, d.ID)
		if err != nil {
			return err
		}
		rec.Outcome = "applied"
		if !ev.Created.IsZero() && ev.Created.Before(last) {
			rec.Applied, rec.Outcome = false, "older than an event already applied: kept, not applied"
		} else if err := a.followProvider(ctx, tx, now, who, &d, pd, rec); err != nil {
			return err
		}
	}
	rec.DisputeID = d.ID
	return a.timeline(ctx, tx, now, entry{disputeID: d.ID, orderID: d.OrderID, actor: who.String(), action: "provider_event",
		to: string(d.Status), note: ev.Type + " " + ev.ID + ": " + rec.Outcome, payload: rec.Payload})
}

// findProviderCase finds the dispute of the provider's case: by its id, or else by the id of its
// charge, under which a Stripe payload of an API version before 2015-10-01 (a dispute without
// an id) reported it first.
func (a *App) findProviderCase(ctx context.Context, tx store.Tx, name string, pd *provider.Dispute) (dispute.Dispute, error) {
	var err error
	for _, c := range providerCases(name, pd) {
		var d dispute.Dispute
		if d, err = tx.FindDisputeByProvider(ctx, c.Provider, c.Reference); !errors.Is(err, store.ErrNotFound) {
			return d, err
		}
	}
	return dispute.Dispute{}, err
}

// providerCases are the ids findProviderCase looks the provider's case up by, in order.
func providerCases(name string, pd *provider.Dispute) []store.ProviderReference {
	ids := []store.ProviderReference{{Provider: name, Reference: pd.ProviderDisputeID}}
	if pd.ChargeReference != "" && pd.ChargeReference != pd.ProviderDisputeID {
		ids = append(ids, store.ProviderReference{Provider: name, Reference: pd.ChargeReference})
	}
	return ids
}

// openFromProvider opens the dispute a provider reports for the first time. An open manual
// dispute on the same order is the merchant's record of this very case, so it becomes the
// provider's dispute; an open alert is superseded by the chargeback that followed it. opened is
// false when there is nothing to open yet: the event is kept, not applied.
func (a *App) openFromProvider(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, name string, pd *provider.Dispute, rec *store.ProviderEvent) (d dispute.Dispute, opened bool, err error) {
	charge, err := a.providerCharge(ctx, tx, pd)
	if err != nil {
		return dispute.Dispute{}, false, err
	}
	np := dispute.NewParams{ID: a.ids.New("dsp"), Type: pd.Type, AlertType: pd.AlertType, Status: dispute.OpeningStatus(pd.Type, pd.Status),
		Stage: pd.Stage, Reason: dispute.ProviderReason(pd.Type, pd.Reason),
		NetworkReasonCode: pd.NetworkReasonCode, Amount: pd.Amount, Currency: pd.Currency, Provider: name,
		ProviderDisputeID: pd.ProviderDisputeID, CaseNumber: pd.CaseNumber, ARN: pd.ARN, HappenedAt: pd.HappenedAt,
		DueBy: pd.DueBy, Livemode: pd.Livemode, Channel: pd.Channel, SellerProtection: pd.SellerProtection, Network: pd.Network,
		ProviderCharge: pd.ChargeReference, ProviderPaymentIntent: pd.PaymentReference, Now: now}
	rec.Outcome = "opened"
	if charge != nil {
		np.Charge = chargeRef(*charge)
		open, err := tx.OpenDisputeOfOrder(ctx, charge.OrderID)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return dispute.Dispute{}, false, err
		case open.Type == dispute.Manual:
			d, err := a.adoptManual(ctx, tx, now, who, open, np, pd, rec)
			return d, err == nil, err
		case open.Type == dispute.Alert && pd.Type != dispute.Alert:
			prev := open
			ch, err := open.Resolve(dispute.ResolveParams{Resolution: dispute.Other, Notes: "a " + string(pd.Type) + " followed the alert",
				By: who, Now: now})
			if err != nil {
				return dispute.Dispute{}, false, err
			}
			if err := a.commitDispute(ctx, tx, now, who, &open, prev, ch); err != nil {
				return dispute.Dispute{}, false, err
			}
		default:
			// The order has another open dispute: this one stays visible, unmatched, for an
			// admin to look at, for the charge's amount when the provider named none (an early
			// fraud warning names only its charge).
			np.Charge = nil
			if np.Amount == 0 {
				np.Amount, np.Currency = charge.Amount, charge.Currency
			}
			rec.Outcome = "opened unmatched: order " + charge.OrderID + " already has open dispute " + open.ID
		}
	} else if pd.Amount == 0 {
		// Neither the amount nor the charge is known: there is nothing to open yet. The event is
		// kept, and the next one about the case opens it once the charge is recorded. Refusing it
		// would have the provider send it again for days, then give up on the endpoint.
		rec.Applied, rec.Outcome = false, "kept, not applied: it names no amount, and no transaction has the reference "+pd.ChargeReference
		return dispute.Dispute{}, false, nil
	} else {
		rec.Outcome = "opened unmatched: no transaction has the reference " + pd.ChargeReference
	}
	d, err = a.openDispute(ctx, tx, now, who, np)
	if f, ok := fault.As(err); ok && f.Kind == fault.Invalid && np.Charge != nil {
		// The provider's dispute does not fit the charge we recorded (another currency, more
		// than was charged): it is kept, unmatched, for an admin to look at, rather than refused.
		np.Charge = nil
		rec.Outcome = "opened unmatched: " + f.Message
		d, err = a.openDispute(ctx, tx, now, who, np)
	}
	if err != nil {
		return dispute.Dispute{}, false, err
	}
	// The first event may already be a later one (the dispute was opened while the server was
	// not yet configured): take the provider's word for where it stands.
	prev := d
	if changes := d.Follow(report(pd), who, now); len(changes) > 0 {
		if err := a.commitDispute(ctx, tx, now, who, &d, prev, changes...); err != nil {
			return dispute.Dispute{}, false, err
		}
	}
	return d, true, nil
}

// adoptManual makes an admin's manual dispute the provider's: same case, now reported by the
// provider, which decides it from here.
func (a *App) adoptManual(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, d dispute.Dispute, np dispute.NewParams, pd *provider.Dispute, rec *store.ProviderEvent) (dispute.Dispute, error) {
	prev := d
	d.Provider, d.ProviderDisputeID, d.CaseNumber, d.ARN = np.Provider, np.ProviderDisputeID, np.CaseNumber, np.ARN
	d.Type, d.NetworkReasonCode = pd.Type, pd.NetworkReasonCode
	d.Channel, d.ProviderCharge, d.ProviderPaymentIntent = dispute.ChannelNetwork, pd.ChargeReference, pd.PaymentReference
	if pd.Channel != "" {
		d.Channel = pd.Channel
	}
	if d.TransactionID == "" && np.Charge != nil {
		d.TransactionID = np.Charge.ID
	}
	if pd.Type == dispute.Inquiry {
		d.Type = dispute.Chargeback // a manual dispute already stands where a chargeback does
	}
	d.UpdatedAt = now
	changes := []dispute.Change{{Action: "matched", From: d.Status, To: d.Status, Note: "the provider's case " + pd.ProviderDisputeID,
		Events: []string{"dispute.updated"}}}
	changes = append(changes, d.Follow(report(pd), who, now)...)
	rec.Outcome = "matched to the manual dispute " + d.ID
	return d, a.commitDispute(ctx, tx, now, who, &d, prev, changes...)
}

// followProvider brings an existing dispute to where the provider says it is, matching it
// first when the charge it names has been recorded since.
func (a *App) followProvider(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, d *dispute.Dispute, pd *provider.Dispute, rec *store.ProviderEvent) error {
	prev := *d
	var changes []dispute.Change
	if d.ProviderDisputeID != pd.ProviderDisputeID {
		// Found by its charge's id (findProviderCase): the case takes the id the provider gives it now.
		d.ProviderDisputeID, d.UpdatedAt = pd.ProviderDisputeID, now
		changes = append(changes, dispute.Change{Action: "updated", From: d.Status, To: d.Status,
			Note: "the provider's case id is now " + pd.ProviderDisputeID, Events: []string{"dispute.updated"}})
	}
	if !d.Matched() && !dispute.Ended(d.Status) {
		charge, err := a.providerCharge(ctx, tx, pd)
		if err != nil {
			return err
		}
		if charge != nil {
			chs, matched, err := matchLater(ctx, tx, now, d, *charge)
			if err != nil {
				return err
			}
			if matched {
				withheld, err := a.withheldFunds(ctx, tx, *d)
				if err != nil {
					return err
				}
				changes = append(append(changes, chs...), withheld...)
				rec.Outcome = "matched to " + charge.ID
			}
		}
	}
	changes = append(changes, d.Follow(report(pd), who, now)...)
	if len(changes) == 0 {
		rec.Outcome = "nothing new"
		return nil
	}
	return a.commitDispute(ctx, tx, now, who, d, prev, changes...)
}

// providerCharge finds our charge for the provider's references: its charge id (our id or the
// provider reference), then its payment reference, then the ARN. nil when none is recorded.
//
// Not found on a store with several writers, it locks the references and looks again
// (store.Tx.LockReferences), as matchWaitingDisputes locks a charge's before it looks for the
// disputes waiting for it: a charge recorded by another instance at the same moment is then
// either found here or finds this dispute waiting. Found at once, as it nearly always is, it
// costs no lock.
func (a *App) providerCharge(ctx context.Context, tx store.Tx, pd *provider.Dispute) (*order.Transaction, error) {
	charge, err := findProviderCharge(ctx, tx, pd)
	if charge != nil || err != nil || a.store.Writers() == 1 {
		return charge, err
	}
	if err := tx.LockReferences(ctx, pd.ChargeReference, pd.PaymentReference); err != nil {
		return nil, err
	}
	return findProviderCharge(ctx, tx, pd)
}

func findProviderCharge(ctx context.Context, r store.Reader, pd *provider.Dispute) (*order.Transaction, error) {
	for _, ref := range []string{pd.ChargeReference, pd.PaymentReference} {
		if ref == "" {
			continue
		}
		t, err := disputedCharge(ctx, r, actor.System, ref)
		if err == nil {
			return &t, nil
		}
		if _, coded := fault.As(err); !coded {
			return nil, err
		}
	}
	if pd.ARN != "" {
		t, err := r.FindTransactionByARN(ctx, pd.ARN)
		if err == nil {
			return &t, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	return nil, nil
}

func report(pd *provider.Dispute) dispute.Report {
	return dispute.Report{Status: pd.Status, Stage: pd.Stage, Reason: dispute.ProviderReason(pd.Type, pd.Reason), NetworkReasonCode: pd.NetworkReasonCode,
		DueBy: pd.DueBy, FundsWithdrawn: pd.FundsWithdrawn, FundsReinstated: pd.FundsReinstated, AmountRefunded: pd.AmountRefunded,
		Fees: pd.Fees, Evidence: pd.Evidence, HasEvidence: pd.HasEvidence, SubmissionCount: pd.SubmissionCount,
		SellerProtection: pd.SellerProtection, Network: pd.Network}
}
