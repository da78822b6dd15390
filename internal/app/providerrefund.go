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
// the two comes first. A report that cannot be recorded (a charge we do not hold, a refund that
// moved no money, more than is left) is kept with the event and says why: the provider would
// only send it again if it were refused.
func (a *App) applyProviderRefund(ctx context.Context, tx store.Tx, now time.Time, name string, rr *provider.RefundReport) (string, error) {
	if !rr.Made {
		return "refund " + rr.ID + " is " + rr.Status + ": no money moved, nothing recorded", nil
	}
	charge, err := reportedCharge(ctx, tx, name, rr)
	if errors.Is(err, store.ErrNotFound) {
		return "refund " + rr.ID + " of a payment not recorded here: nothing recorded", nil
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
