package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/jobs"
	"disputed/internal/order"
	"disputed/internal/provider"
	"disputed/internal/store"
)

// An alert (Ethoca, CDRN, a fraud report) or an inquiry refunded in time does not become a
// chargeback. Refunding one through the provider that holds the charge is a job: the request to
// the provider goes out of any transaction, with an idempotency key that is the same on every
// retry, and its answer (the provider's refund id) is recorded once, with the alert resolved, in
// the transaction that completes the job.

// KindProviderRefund is the job that refunds an alert's or inquiry's charge through its provider.
const KindProviderRefund = "provider.refund"

// ProviderRefundAttempts is how often a refund is tried: with the runner's backoff, about two
// hours, well inside the shortest alert window (24 h). A refund that fails for good is on the
// dispute's timeline, to make elsewhere (and record as external) or to retry.
const ProviderRefundAttempts = 12

type refundJob struct {
	DisputeID  string             `json:"dispute_id"`
	ChargeID   string             `json:"charge_id"`
	Provider   string             `json:"provider"`
	Amount     int64              `json:"amount"`
	Currency   string             `json:"currency"`
	Resolution dispute.Resolution `json:"resolution,omitempty"` // the alert's, once refunded; "" for an inquiry
	Cause      string             `json:"cause"`
}

// refundKey is the idempotency key of the refund of amount for dispute id: the same on every
// retry of the job, and on a second request for the same refund, so that the provider answers
// those with the refund it made first.
func refundKey(disputeID string, amount int64) string {
	return "disputed-refund-" + disputeID + "-" + strconv.FormatInt(amount, 10)
}

// refundThroughProvider schedules, in tx, the refund through its provider of what is left
// refundable of the charge an open alert or inquiry is matched to. It refuses (nothing changes)
// another kind of dispute, one that ended or is matched to no charge, a charge with nothing left
// to refund, and a charge whose provider cannot refund (the refund is then made where the money
// is, and recorded as external). cause says who or what asked, for the timeline and the provider.
func (a *App) refundThroughProvider(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, d *dispute.Dispute, cause string) error {
	args, err := a.refundPlan(ctx, tx, *d)
	if err != nil {
		return err
	}
	args.Cause = strings.TrimSpace(cause)
	b, err := json.Marshal(args)
	if err != nil {
		return err
	}
	if err := a.enqueue(ctx, tx, now, store.Job{Kind: KindProviderRefund, Key: "refund:" + d.ID, Subject: "refund:" + d.ID,
		Args: b, RunAt: now}); err != nil {
		return err
	}
	note := amountWords(args.Amount, args.Currency) + " of charge " + args.ChargeID + " to be refunded through " + args.Provider
	if args.Cause != "" {
		note += ": " + args.Cause
	}
	if !d.DueBy.IsZero() {
		note += "; the " + string(d.Type) + " must be refunded by " + d.DueBy.UTC().Format(time.RFC3339)
	}
	return a.timeline(ctx, tx, now, entry{disputeID: d.ID, orderID: d.OrderID, actor: who.String(), action: "refund_requested", note: note})
}

// refundPlan is the refund through its provider that d, an open alert or inquiry matched to a
// charge, would have: all that is left of the charge, through the provider that holds it. The
// fault says why there is none.
func (a *App) refundPlan(ctx context.Context, r store.Reader, d dispute.Dispute) (refundJob, error) {
	if d.Type != dispute.Alert && d.Type != dispute.Inquiry {
		return refundJob{}, fault.Invalidf(fault.CodeNotSupportedForType, "type",
			"only an alert or an inquiry is refunded through the provider, to keep it from becoming a chargeback; a %s's money moves with its decision", d.Type)
	}
	if !d.IsOpen() {
		return refundJob{}, fault.InvalidState(string(d.Status), "refund the "+string(d.Type))
	}
	if !d.Matched() {
		return refundJob{}, fault.Invalidf(fault.CodeAlertUnmatched, "transaction_id", "the %s is matched to no charge: match it to the charge to refund first", d.Type)
	}
	charge, err := r.GetTransaction(ctx, d.TransactionID)
	if err != nil {
		return refundJob{}, err
	}
	amount := charge.Refundable()
	if amount <= 0 {
		return refundJob{}, fault.New(fault.Conflict, fault.CodeNothingToRefund, "transaction_id",
			"nothing is left to refund of charge %s; resolve the %s previously_refunded_nothing_to_do", charge.ID, d.Type)
	}
	name, _, err := a.refunderOf(ctx, r, charge, d)
	if err != nil {
		return refundJob{}, err
	}
	if refundTarget(charge, d) == (provider.Refund{}) {
		return refundJob{}, fault.Invalidf(fault.CodeParameterMissing, "transaction_id",
			"charge %s has no reference at %s (its provider_reference): the provider cannot be told what to refund", charge.ID, name)
	}
	args := refundJob{DisputeID: d.ID, ChargeID: charge.ID, Provider: name, Amount: amount, Currency: charge.Currency}
	if d.Type == dispute.Alert {
		args.Resolution = dispute.IssuedFullRefund
		if charge.AmountRefunded > 0 {
			args.Resolution = dispute.IssuedRefundForRemainingAmount
		}
	}
	return args, nil
}

// RefundOffer is the refund through its provider an open alert or inquiry can have now: how
// much, through which provider, and by when (zero when it has no window).
type RefundOffer struct {
	Amount   int64
	Currency string
	Provider string
	DueBy    time.Time
}

// OfferRefund returns the refund through its provider d can have now; ok is false when it can
// have none (the page then offers none; POST /v1/disputes/{id}/refund says why).
func (a *App) OfferRefund(ctx context.Context, who actor.Actor, d dispute.Dispute) (RefundOffer, bool, error) {
	if !who.IsStaff() {
		return RefundOffer{}, false, nil
	}
	args, err := a.refundPlan(ctx, a.store, d)
	if _, refused := fault.As(err); refused {
		return RefundOffer{}, false, nil
	}
	if err != nil {
		return RefundOffer{}, false, err
	}
	return RefundOffer{Amount: args.Amount, Currency: args.Currency, Provider: args.Provider, DueBy: d.DueBy}, true, nil
}

// refunderOf is the configured provider that holds charge (the one that charged it, else the
// dispute's) and its refunds, or the fault that says why it cannot refund.
func (a *App) refunderOf(ctx context.Context, r store.Reader, charge order.Transaction, d dispute.Dispute) (string, provider.Refunder, error) {
	name := charge.Provider
	if name == "" {
		name = d.Provider
	}
	if name == "" {
		return "", nil, fault.New(fault.Conflict, fault.CodeProviderCannotRefund, "provider",
			"charge %s names no provider: refund it where it was paid and record the refund as external", charge.ID)
	}
	p, err := r.GetProvider(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil, fault.New(fault.Conflict, fault.CodeProviderCannotRefund, "provider",
			"the provider %s of charge %s is not configured: refund it there and record the refund as external", name, charge.ID)
	}
	if err != nil {
		return "", nil, err
	}
	ad, err := a.adapterFor(p)
	if err != nil {
		return "", nil, err
	}
	rf, ok := ad.(provider.Refunder)
	if !ok {
		return "", nil, fault.New(fault.Conflict, fault.CodeProviderCannotRefund, "provider",
			"the provider %s is a %s feed, which cannot refund: refund charge %s where it was paid and record the refund as external", name, p.Type, charge.ID)
	}
	return name, rf, nil
}

// refundTarget is how the provider knows the charge: its reference, else the ids the dispute's
// provider reported (Stripe's charge, then its payment intent).
func refundTarget(charge order.Transaction, d dispute.Dispute) provider.Refund {
	switch {
	case charge.ProviderReference != "":
		if strings.HasPrefix(charge.ProviderReference, "pi_") {
			return provider.Refund{PaymentIntent: charge.ProviderReference}
		}
		return provider.Refund{Charge: charge.ProviderReference}
	case d.ProviderCharge != "":
		return provider.Refund{Charge: d.ProviderCharge}
	case d.ProviderPaymentIntent != "":
		return provider.Refund{PaymentIntent: d.ProviderPaymentIntent}
	}
	return provider.Refund{}
}

// RefundThroughProvider is the provider.refund job: it asks the provider for the refund, outside
// any transaction, then records it (once) and resolves the alert.
func (a *App) RefundThroughProvider(ctx context.Context, job store.Job) (jobs.Record, error) {
	var args refundJob
	if err := json.Unmarshal(job.Args, &args); err != nil {
		return nil, jobs.Permanent(fmt.Errorf("refund job arguments: %w", err))
	}
	d, err := a.store.GetDispute(ctx, args.DisputeID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	charge, err := a.store.GetTransaction(ctx, args.ChargeID)
	if err != nil {
		return nil, err
	}
	if !d.IsOpen() {
		return a.refundDropped(d, "the "+string(d.Type)+" ended ("+string(d.Status)+") before the refund went out; nothing was sent"), nil
	}
	made, ok, err := refundedMeanwhile(ctx, a.store, charge, args, job.CreatedAt)
	if err != nil {
		return nil, err
	}
	if ok {
		return func(ctx context.Context, tx store.Tx) error {
			note := amountWords(made.Amount, made.Currency) + " refunded through " + args.Provider + " as " + made.ProviderReference +
				" (recorded as " + made.ID + " from " + args.Provider + "'s report); nothing more was sent"
			d, err := tx.GetDispute(ctx, args.DisputeID)
			if err != nil {
				return err
			}
			return a.settleRefunded(ctx, tx, a.clock(), d, args, note)
		}, nil
	}
	if left := charge.Refundable(); left < args.Amount {
		return nil, jobs.Permanent(fmt.Errorf("charge %s was refunded since the refund was asked: %s is left of the %s to refund; nothing was sent",
			charge.ID, amountWords(left, charge.Currency), amountWords(args.Amount, args.Currency)))
	}
	_, rf, err := a.refunderOf(ctx, a.store, charge, d)
	if err != nil {
		return nil, jobs.Permanent(err)
	}
	req := refundTarget(charge, d)
	req.Amount, req.Currency = args.Amount, args.Currency
	req.Note = "Refund of " + string(d.Type) + " " + d.ID
	id, err := rf.Refund(provider.WithIdempotencyKey(ctx, refundKey(d.ID, args.Amount)), req)
	if err != nil {
		if errors.Is(err, provider.ErrPermanent) {
			return nil, jobs.Permanent(err)
		}
		return nil, err
	}
	return func(ctx context.Context, tx store.Tx) error { return a.recordProviderRefund(ctx, tx, args, id) }, nil
}

// refundDropped writes on the timeline why a refund was not sent.
func (a *App) refundDropped(d dispute.Dispute, why string) jobs.Record {
	return func(ctx context.Context, tx store.Tx) error {
		return a.timeline(ctx, tx, a.clock(), entry{disputeID: d.ID, orderID: d.OrderID, actor: actor.System.String(),
			action: "refund_dropped", note: why})
	}
}

// recordProviderRefund records the refund the provider made (id), once, and resolves the alert
// it was for.
func (a *App) recordProviderRefund(ctx context.Context, tx store.Tx, args refundJob, id string) error {
	now := a.clock()
	d, err := tx.GetDispute(ctx, args.DisputeID)
	if err != nil {
		return err
	}
	charge, err := tx.GetTransaction(ctx, args.ChargeID)
	if err != nil {
		return err
	}
	newID := a.ids.New("txn")
	r, err := a.recordRefund(ctx, tx, now, actor.System, &charge, order.Transaction{ID: newID, Amount: args.Amount, Currency: args.Currency,
		Provider: args.Provider, ProviderReference: id, Reason: "refund of " + string(d.Type) + " " + d.ID, CreatedAt: now}, d.ID)
	if err != nil {
		return err
	}
	if err := a.settleOrderStatus(ctx, tx, now, actor.System, r.OrderID); err != nil {
		return err
	}
	note := amountWords(r.Amount, r.Currency) + " refunded through " + args.Provider + " as " + id
	if r.ID != newID {
		note += " (recorded before as " + r.ID + ")"
	}
	return a.settleRefunded(ctx, tx, now, d, args, note)
}

// settleRefunded writes on the timeline that the alert's or inquiry's charge was refunded (late,
// when after its due date) and resolves the alert: issued_full_refund, or
// issued_refund_for_remaining_amount when the charge had been partly refunded before. The refund
// is recorded already.
func (a *App) settleRefunded(ctx context.Context, tx store.Tx, now time.Time, d dispute.Dispute, args refundJob, note string) error {
	if !d.DueBy.IsZero() && now.After(d.DueBy) {
		note += fmt.Sprintf("; late: %s after the %s's refund window ended at %s", now.Sub(d.DueBy).Round(time.Minute),
			d.Type, d.DueBy.UTC().Format(time.RFC3339))
	}
	if err := a.timeline(ctx, tx, now, entry{disputeID: d.ID, orderID: d.OrderID, actor: actor.System.String(),
		action: "refunded_through_provider", note: note}); err != nil {
		return err
	}
	if args.Resolution == "" || !d.IsOpen() {
		return nil // an inquiry closes with its provider's report of the refund
	}
	prev := d
	c, err := d.Resolve(dispute.ResolveParams{Resolution: args.Resolution, Notes: note, By: actor.System, Now: now})
	if err != nil {
		return err
	}
	c.RefundRemaining = false // recorded already, with the provider's reference
	return a.commitDispute(ctx, tx, now, actor.System, &d, prev, c)
}

// refundedMeanwhile is the refund reported by the provider since the job was scheduled that left
// the charge with nothing to refund: the job's own refund, made by an attempt whose answer was
// lost and reported by the provider since, or one made in the provider's dashboard. Either way the
// charge is refunded, and asking again could only refund it twice.
func refundedMeanwhile(ctx context.Context, r store.Reader, charge order.Transaction, args refundJob, since time.Time) (order.Transaction, bool, error) {
	if charge.Refundable() > 0 {
		return order.Transaction{}, false, nil
	}
	children, err := r.ChildTransactions(ctx, charge.ID)
	if err != nil {
		return order.Transaction{}, false, err
	}
	for _, c := range slices.Backward(children) {
		if c.Kind == order.Refund && c.Provider == args.Provider && c.ProviderReference != "" && !c.CreatedAt.Before(since) {
			return c, true, nil
		}
	}
	return order.Transaction{}, false, nil
}

// ProviderRefundFailed writes a failed refund on the dispute's timeline: each attempt, and the
// last one, which leaves the alert open for a person to refund elsewhere or retry the job.
func (a *App) ProviderRefundFailed(ctx context.Context, tx store.Tx, job store.Job, cause error, dead bool) error {
	var args refundJob
	if err := json.Unmarshal(job.Args, &args); err != nil {
		return err
	}
	d, err := tx.GetDispute(ctx, args.DisputeID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	note := fmt.Sprintf("attempt %d to refund through %s failed, retried: %v", job.Attempts, args.Provider, cause)
	if dead {
		note = fmt.Sprintf("the refund through %s failed for good after %d attempts (retry the job %s, or refund elsewhere and record it as external): %v",
			args.Provider, job.Attempts, job.ID, cause)
	}
	return a.timeline(ctx, tx, a.clock(), entry{disputeID: d.ID, orderID: d.OrderID, actor: actor.System.String(),
		action: "provider_refund_failed", note: note})
}

// RefundDispute refunds an open alert or inquiry through the provider of its charge: the refund
// is scheduled (the job makes it and resolves the alert), and the dispute is returned as it is.
func (a *App) RefundDispute(ctx context.Context, who actor.Actor, id, reason string) (dispute.Dispute, error) {
	if err := staff(who, "refund an alert"); err != nil {
		return dispute.Dispute{}, err
	}
	if len(reason) > 500 {
		return dispute.Dispute{}, fault.Invalidf(fault.CodeInvalidValue, "reason", "reason is longer than 500 characters")
	}
	var d dispute.Dispute
	err := a.write(ctx, true, func(tx store.Tx, now time.Time) error {
		var err error
		if d, err = tx.GetDispute(ctx, id); err != nil {
			return store.NotFound(err, "dispute", id)
		}
		cause := "asked by " + who.String()
		if reason = strings.TrimSpace(reason); reason != "" {
			cause += ": " + reason
		}
		return a.refundThroughProvider(ctx, tx, now, who, &d, cause)
	})
	return d, err
}
