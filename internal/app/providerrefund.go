package app

import (
	"context"
	"errors"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/provider"
	"disputed/internal/store"
)

// applyProviderRefund records a refund the provider reports (made by the refund job, or by the
// merchant in the provider's dashboard) as an external refund of the charge it names, once: the
// refund job's own refund, recorded with the same reference, is not recorded again, whichever of
// the two comes first. A report that cannot be recorded (a refund that moved no money, more than
// is left) is kept with the event and says why: the provider would only send it again if it were
// refused.
//
// A refund of a payment not recorded here is reported before its payment (providers do not
// deliver in order), or refunds one made before disputed kept the merchant's payments: when the
// event reports it on its own (reported is that event; nil for a refund listed with its payment),
// the event waits for the payment (store.Tx.AwaitPayment), and recordAwaitedRefunds records the
// refund when a notification or a history import brings the payment. The references are locked
// first on a store with several writers, as a dispute's are: a payment recorded by another
// instance at this moment is either seen here or sees this refund waiting.
func (a *App) applyProviderRefund(ctx context.Context, tx store.Tx, now time.Time, name string, rr *provider.RefundReport, reported *store.ProviderEvent) (string, error) {
	if !rr.Made {
		return "refund " + rr.ID + " is " + rr.Status + ": no money moved, nothing recorded", nil
	}
	charge, err := reportedCharge(ctx, tx, name, rr)
	if errors.Is(err, store.ErrNotFound) && reported != nil && a.store.Writers() > 1 {
		if err = tx.LockReferences(ctx, rr.ChargeReference, rr.PaymentReference); err == nil {
			charge, err = reportedCharge(ctx, tx, name, rr)
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		if reported == nil || rr.ChargeReference == "" && rr.PaymentReference == "" {
			return "refund " + rr.ID + " of a payment not recorded here: nothing recorded", nil
		}
		if err := tx.AwaitPayment(ctx, name, reported.EventID, rr.ChargeReference, rr.PaymentReference); err != nil {
			return "", err
		}
		return "refund " + rr.ID + " of a payment not recorded here yet: it waits for the payment, and is recorded when the payment is", nil
	}
	if err != nil {
		return "", err
	}
	t := order.Transaction{ID: a.ids.New("txn"), Amount: rr.Amount, Currency: rr.Currency, Provider: name,
		ProviderReference: rr.ID, External: true, Reason: "refund reported by " + name, CreatedAt: now}
	if known, ok, err := knownRefund(ctx, tx, charge.ID, t); err != nil || ok {
		return "refund " + rr.ID + " recorded before as " + known.ID, err
	}
	r, err := a.refund(ctx, tx, now, actor.Provider(name), &charge, t, "")
	if _, refused := fault.As(err); refused {
		return "refund " + rr.ID + " not recorded: " + err.Error(), nil
	}
	if err != nil {
		return "", err
	}
	return "refund " + rr.ID + " recorded as " + r.ID, nil
}

// reportedCharge is our charge a provider's report names, by its charge's id or its payment's.
func reportedCharge(ctx context.Context, r store.Reader, name string, rr *provider.RefundReport) (order.Transaction, error) {
	for _, ref := range []string{rr.ChargeReference, rr.PaymentReference} {
		if ref == "" {
			continue
		}
		t, err := r.FindTransaction(ctx, name, ref)
		if err == nil {
			t, err = captureOf(ctx, r, t)
		}
		if err == nil && t.Captures() {
			return t, nil
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return order.Transaction{}, err
		}
	}
	return order.Transaction{}, store.ErrNotFound
}

// recordAwaitedRefunds records the refunds that arrived before charge, just recorded with its
// provider's reference (and paymentRef, its payment's, if any): each waiting event is read
// again through its provider's adapter, its refund recorded against charge as when it arrived
// (applyProviderRefund), its wait ended, and its outcome extended with what became of it. The
// notes say the same for the charge's event.
func (a *App) recordAwaitedRefunds(ctx context.Context, tx store.Tx, now time.Time, charge order.Transaction, paymentRef string) ([]string, error) {
	waiting, err := tx.RefundsAwaitingPayment(ctx, charge.Provider, charge.ProviderReference, paymentRef)
	if err != nil || len(waiting) == 0 {
		return nil, err
	}
	adapters := map[string]provider.Adapter{}
	notes := make([]string, 0, len(waiting))
	for _, rec := range waiting {
		ev, _, err := a.storedEvent(ctx, tx, rec, adapters)
		if err != nil {
			return nil, err
		}
		got := "its event no longer reads as a refund: nothing recorded"
		if ev.Refund != nil {
			if got, err = a.applyProviderRefund(ctx, tx, now, rec.Provider, ev.Refund, nil); err != nil {
				return nil, err
			}
		}
		if err := tx.StopAwaitingPayment(ctx, rec.Provider, rec.EventID); err != nil {
			return nil, err
		}
		// An event of this very pass (a refund naming only the payment's second reference,
		// applied just before it) is settled by the pass, with the outcome it had.
		if rec.State == store.EventApplied {
			rec.Outcome += "; then the payment " + charge.ProviderReference + " came: " + got
			if err := tx.SettleProviderEvents(ctx, []store.ProviderEvent{rec}); err != nil {
				return nil, err
			}
		}
		notes = append(notes, "event "+rec.EventID+", reported before it: "+got)
	}
	return notes, nil
}
