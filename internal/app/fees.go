package app

import (
	"context"
	"errors"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/fees"
	"disputed/internal/reasoncode"
	"disputed/internal/store"
)

// estimateFees records on d the fee table's estimate of the fees it has incurred and has no
// record of (dispute.FeesDue), before d is written. Most writes find nothing due and read nothing.
func (a *App) estimateFees(ctx context.Context, r store.Reader, d *dispute.Dispute) error {
	if len(d.FeesDue()) == 0 {
		return nil
	}
	s, err := r.GetSettings(ctx)
	if err != nil {
		return err
	}
	typ, err := providerTypeOf(ctx, r, *d)
	if err != nil {
		return err
	}
	if sched, ok := feeSchedule(EffectiveFeeTable(s), typ, *d); ok {
		d.EstimateFees(sched)
	}
	return nil
}

// feeSchedule is the fee table's row for d, a dispute of a provider of type typ ("" for none, whose
// rows are the manual ones): the one in force when it was raised, which decides whether it pays a
// counter fee (Stripe's applies to disputes opened after 2025-06-17).
func feeSchedule(t fees.Table, typ string, d dispute.Dispute) (fees.Schedule, bool) {
	if typ == "" {
		typ = manualFees
	}
	raised := d.HappenedAt
	if raised.IsZero() {
		raised = d.CreatedAt
	}
	network := reasoncode.Classify(d.NetworkHint(), d.NetworkReasonCode, d.Reason).Network
	return t.Lookup(typ, network, d.Currency, raised)
}

// manualFees is the fee table's provider type of disputes that came from no provider: a
// merchant entering its chargebacks by hand says what they cost in rows of this type.
const manualFees = "manual"

// providerTypeOf is the type of the provider whose fees a dispute incurs (feeProviderName): the
// configured provider's, or for one named but not configured by its type ("stripe"), that; "" for
// none.
func providerTypeOf(ctx context.Context, r store.Reader, d dispute.Dispute) (string, error) {
	name, err := feeProviderName(ctx, r, d)
	if err != nil || name == "" {
		return "", err
	}
	p, err := r.GetProvider(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return name, nil
	}
	return p.Type, err
}

// feeProviderName is the provider whose fees a dispute incurs: the one it came from, else the
// one that took its charge (a chargeback entered by hand on a Stripe charge costs Stripe's fees).
func feeProviderName(ctx context.Context, r store.Reader, d dispute.Dispute) (string, error) {
	if d.Provider != "" || d.TransactionID == "" {
		return d.Provider, nil
	}
	t, err := r.GetTransaction(ctx, d.TransactionID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return t.Provider, err
}

// convertedFee converts a fee of the table's currency into the dispute's with the rate in force
// now; ok is false when no rate is recorded.
func (a *App) convertedFee(ctx context.Context, r store.Reader, amount int64, from, to string, now time.Time) (int64, bool, error) {
	if amount == 0 {
		return 0, true, nil
	}
	return a.convert(ctx, r, amount, from, to, now)
}
