package app

import (
	"context"
	"time"

	"disputed/internal/checklist"
	"disputed/internal/dispute"
	"disputed/internal/reasoncode"
	"disputed/internal/rules"
	"disputed/internal/store"
)

// customerDisputesCounted is where customer_disputes stops counting: a customer with that many
// earlier disputes reads as that many, which is already every threshold a rule would name.
const customerDisputesCounted = 100

// ruleFacts is what a rule sees of a dispute beyond the dispute's own fields: the values the
// server computes.
type ruleFacts struct {
	amountReporting   *int64
	reportingCurrency string
	customerDisputes  int
	pWin              *float64
	expectedValue     *int64
	now               time.Time // hours_to_due counts from it; zero leaves hours_to_due nil
}

// ruleEnv is the environment a rule's expression is evaluated in: d's fields as its JSON names
// them, and the computed facts.
func ruleEnv(d dispute.Dispute, product checklist.ProductType, f ruleFacts) rules.Env {
	c := reasoncode.Classify(d.NetworkHint(), d.NetworkReasonCode, d.Reason)
	env := rules.Env{
		ID: d.ID, Amount: d.Amount, Currency: d.Currency, Type: string(d.Type), AlertType: string(d.AlertType),
		Status: string(d.Status), Stage: string(d.Stage), Reason: d.Reason, NetworkReasonCode: d.NetworkReasonCode,
		ReasonCategory: string(c.Category), Network: c.Network, Provider: d.Provider, Channel: string(d.Channel),
		InitiatedBy: string(d.InitiatedBy), CustomerID: d.CustomerID, OrderID: d.OrderID, Tags: d.Tags, Metadata: d.Metadata,
		Livemode: d.Livemode, AmountReporting: f.amountReporting, ReportingCurrency: f.reportingCurrency,
		CustomerDisputes: f.customerDisputes, PWin: f.pWin, ExpectedValue: f.expectedValue,
	}
	if d.Type.AnsweredWithEvidence() {
		env.Completeness = checklist.Evaluate(disputeCategory(d), product, d.Evidence, d.EvidenceSources).Completeness
	}
	if !f.now.IsZero() && !d.DueBy.IsZero() {
		h := d.DueBy.Sub(f.now).Hours()
		env.HoursToDue = &h
	}
	return env
}

// liveRuleEnv gathers the facts of an open dispute as they stand now, for the rules job.
func (a *App) liveRuleEnv(ctx context.Context, r store.Reader, d dispute.Dispute, s store.Settings, now time.Time) (rules.Env, error) {
	f := ruleFacts{reportingCurrency: EffectiveReportingCurrency(s), now: now}
	at := d.HappenedAt
	if at.IsZero() {
		at = d.CreatedAt
	}
	amount, ok, err := a.convert(ctx, r, d.Amount, d.Currency, f.reportingCurrency, at)
	if err != nil {
		return rules.Env{}, err
	}
	if ok {
		f.amountReporting = &amount
	}
	if d.CustomerID != "" {
		earlier, err := r.ListDisputes(ctx, store.DisputeFilter{CustomerID: d.CustomerID, Page: store.Page{Limit: customerDisputesCounted + 1}})
		if err != nil {
			return rules.Env{}, err
		}
		for _, e := range earlier {
			if e.ID != d.ID && e.CreatedAt.Before(d.CreatedAt) || e.CreatedAt.Equal(d.CreatedAt) && e.ID < d.ID {
				f.customerDisputes++
			}
		}
		f.customerDisputes = min(f.customerDisputes, customerDisputesCounted)
	}
	rec, err := a.recommend(ctx, r, d)
	if err != nil {
		return rules.Env{}, err
	}
	if rec.Applies {
		f.pWin, f.expectedValue = &rec.PWin, &rec.ExpectedValue
	}
	return ruleEnv(d, s.Profile.ProductType.Effective(), f), nil
}
