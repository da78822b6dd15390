package app

import (
	"context"
	"fmt"
	"time"

	"disputed/internal/actor"
	"disputed/internal/checklist"
	"disputed/internal/decide"
	"disputed/internal/dispute"
	"disputed/internal/reasoncode"
	"disputed/internal/store"
)

// recommend says what fighting d is worth (internal/decide), from the merchant's decided disputes
// of the same category and network, d's evidence completeness, the fee table's row for d in d's
// currency and the handling cost.
func (a *App) recommend(ctx context.Context, r store.Reader, d dispute.Dispute) (decide.Recommendation, error) {
	rc, err := a.recommender(ctx, r)
	if err != nil {
		return decide.Recommendation{}, err
	}
	return rc.recommend(ctx, d)
}

// Recommendations are the recommendations for disputes that staff see (GET /v1/disputes/{id},
// the lists, the pages), by dispute id; a dispute with nothing to decide has none. Parties see
// none: what the merchant would concede is not theirs to know.
func (a *App) Recommendations(ctx context.Context, who actor.Actor, ds ...dispute.Dispute) (map[string]decide.Recommendation, error) {
	if !who.IsStaff() || len(ds) == 0 {
		return nil, nil
	}
	rc, err := a.recommender(ctx, a.store)
	if err != nil {
		return nil, err
	}
	out := make(map[string]decide.Recommendation, len(ds))
	for _, d := range ds {
		rec, err := rc.recommend(ctx, d)
		if err != nil {
			return nil, err
		}
		if rec.Applies {
			out[d.ID] = rec
		}
	}
	return out, nil
}

// recommender holds what the recommendations of many disputes share, read once.
type recommender struct {
	a         *App
	r         store.Reader
	now       time.Time
	settings  store.Settings
	providers map[string]string // provider name → type
	outcomes  map[outcomeKey]wonLost
}

func (a *App) recommender(ctx context.Context, r store.Reader) (*recommender, error) {
	s, err := r.GetSettings(ctx)
	if err != nil {
		return nil, err
	}
	ps, err := r.ListProviders(ctx)
	if err != nil {
		return nil, err
	}
	now := a.clock()
	outcomes, err := a.outcomes.get(ctx, r, now)
	if err != nil {
		return nil, err
	}
	rc := &recommender{a: a, r: r, now: now, settings: s, providers: map[string]string{}, outcomes: outcomes}
	for _, p := range ps {
		rc.providers[p.Name] = p.Type
	}
	return rc, nil
}

func (rc *recommender) recommend(ctx context.Context, d dispute.Dispute) (decide.Recommendation, error) {
	if !d.IsOpen() || d.Type == dispute.Marketplace {
		return decide.Recommendation{}, nil
	}
	c := reasoncode.Classify(d.NetworkHint(), d.NetworkReasonCode, d.Reason)
	wl := rc.outcomes[outcomeKey{livemode: d.Livemode, network: c.Network, category: c.Category}]
	in := decide.Input{Type: string(d.Type), AlertType: string(d.AlertType), Open: true, Amount: d.Amount, Currency: d.Currency,
		Category: string(c.Category), Network: c.Network, Won: wl.won, Lost: wl.lost, HasChecklist: d.Type != dispute.Alert}
	if in.HasChecklist {
		in.Completeness = checklist.Evaluate(disputeCategory(d), rc.settings.Profile.ProductType, d.Evidence, d.EvidenceSources).Completeness
	}
	f, err := rc.fees(ctx, d)
	if err != nil {
		return decide.Recommendation{}, err
	}
	in.Fees = f
	return decide.Recommend(in), nil
}

// fees are the fee table's row for d and the handling cost, in d's currency. A figure in another
// currency with no exchange rate recorded is left out, and the recommendation says so: a missing
// rate is said, never guessed.
func (rc *recommender) fees(ctx context.Context, d dispute.Dispute) (decide.Fees, error) {
	out := decide.Fees{Currency: d.Currency}
	var missing []string
	name, err := feeProviderName(ctx, rc.r, d)
	if err != nil {
		return out, err
	}
	typ, ok := rc.providers[name]
	if !ok {
		typ = name
	}
	sched, found := feeSchedule(EffectiveFeeTable(rc.settings), typ, d)
	if found {
		out.TableVersion, out.TableDate, out.Estimate = sched.Version, sched.Date, sched.Estimate
		out.DisputeRefundedOnWin, out.CounterRefundedOnWin = sched.DisputeFeeRefundedOnWin, sched.CounterFeeRefundedOnWin
		for _, f := range []struct {
			to     *int64
			amount int64
		}{{&out.Dispute, sched.DisputeFee}, {&out.Counter, sched.CounterFee}, {&out.Arbitration, sched.ArbitrationFee}} {
			v, ok, err := rc.a.convertedFee(ctx, rc.r, f.amount, sched.Currency, d.Currency, rc.now)
			if err != nil {
				return out, err
			}
			if !ok {
				missing = append(missing, fmt.Sprintf("the fee table's %s fees", sched.Currency))
				out.Dispute, out.Counter, out.Arbitration = 0, 0, 0
				break
			}
			*f.to = v
		}
	} else {
		what := "disputes without a provider"
		if typ != "" {
			what = typ + " disputes"
		}
		out.Missing = fmt.Sprintf("The fee table has no row for %s: no fee is counted.", what)
	}
	h := EffectiveHandlingCost(rc.settings)
	v, ok, err := rc.a.convertedFee(ctx, rc.r, h.Amount, h.Currency, d.Currency, rc.now)
	if err != nil {
		return out, err
	}
	if ok {
		out.Handling = v
	} else {
		missing = append(missing, fmt.Sprintf("the %s handling cost", h.Currency))
	}
	if len(missing) > 0 {
		what := missing[0]
		if len(missing) == 2 {
			what += " and " + missing[1]
		}
		out.Missing = fmt.Sprintf("No exchange rate to %s is recorded for %s: left out.", d.Currency, what)
	}
	return out, nil
}
