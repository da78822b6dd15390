package app

import (
	"cmp"
	"context"
	"slices"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/money"
	"disputed/internal/order"
	"disputed/internal/store"
)

// DashboardView is what the admin UI's dashboard shows.
type DashboardView struct {
	Now time.Time
	// The open disputes whose answer failed to reach their provider (longest waiting first), and
	// how many there are: someone must send it again before the due date.
	FailedSubmissions     []dispute.Dispute
	FailedSubmissionCount int64
	// The open disputes on which someone must act by their due date, by urgency: overdue, due
	// within 24 hours, due in 24 to 72 hours.
	Overdue, Due24, Due72 int64
	Open                  int64            // every open dispute
	AtRisk                []CurrencyAmount // the open disputes' amounts per currency
	Urgent                []ListedDispute
	ManualLines           []order.Line // lines whose pending action waits for an admin, longest waiting first
	MoreManualLines       bool
	WinRates              []WinRate // over the last 30 and 90 days
}

// CurrencyAmount is how many disputes in one currency, and their amount in its minor units
// (marked Over when it lies beyond what an int64 holds).
type CurrencyAmount struct {
	Currency string
	Count    int64
	Amount   money.Total
}

// WinRate counts the disputes decided over the last Days days: won for the merchant (won,
// warning_closed, favor_vendor) or lost (lost or conceded, favor_buyer, full_refund).
// Compromises, voided orders and alerts count neither way.
type WinRate struct {
	Days      int
	Won, Lost int64
}

// Percent is the share of the decided disputes that the merchant won, rounded to the nearest
// whole percent; ok is false when none was decided.
func (w WinRate) Percent() (p int64, ok bool) {
	n := w.Won + w.Lost
	if n == 0 {
		return 0, false
	}
	return (w.Won*200 + n) / (2 * n), true
}

const (
	dashboardUrgent = 20 // urgent disputes listed on the dashboard
	dashboardLines  = 50 // manual lines listed on the dashboard
	dashboardFailed = 20 // failed submissions listed on the dashboard
)

// Dashboard gathers the dashboard's figures.
func (a *App) Dashboard(ctx context.Context, who actor.Actor) (DashboardView, error) {
	if err := staff(who, "read the dashboard"); err != nil {
		return DashboardView{}, err
	}
	now := a.clock()
	v := DashboardView{Now: now}
	var err error
	if v.FailedSubmissions, v.FailedSubmissionCount, err = a.store.FailedSubmissions(ctx, dashboardFailed); err != nil {
		return DashboardView{}, err
	}
	stats, err := a.store.OpenDisputeStats(ctx, now)
	if err != nil {
		return DashboardView{}, err
	}
	perCurrency := map[string]*CurrencyAmount{}
	for _, st := range stats {
		v.Open += st.Count
		c := perCurrency[st.Currency]
		if c == nil {
			c = &CurrencyAmount{Currency: st.Currency}
			perCurrency[st.Currency] = c
		}
		c.Count += st.Count
		c.Amount = c.Amount.Plus(st.Amount)
		if (&dispute.Dispute{Type: dispute.Type(st.Type), Status: dispute.Status(st.Status), DueBy: now}).AwaitsResponse() {
			v.Overdue += st.Overdue
			v.Due24 += st.Due24
			v.Due72 += st.Due72
		}
	}
	for _, c := range perCurrency {
		v.AtRisk = append(v.AtRisk, *c)
	}
	slices.SortFunc(v.AtRisk, func(x, y CurrencyAmount) int { return cmp.Compare(x.Currency, y.Currency) })
	urgent, err := a.urgent(ctx, now)
	if err != nil {
		return DashboardView{}, err
	}
	if v.Urgent, err = a.listed(ctx, who, urgent); err != nil {
		return DashboardView{}, err
	}
	for _, days := range []int{30, 90} {
		outcomes, err := a.store.DisputeOutcomes(ctx, now.AddDate(0, 0, -days))
		if err != nil {
			return DashboardView{}, err
		}
		w := WinRate{Days: days}
		for _, o := range outcomes {
			switch decided(o) {
			case dispute.OutcomeMerchant:
				w.Won += o.Count
			case dispute.OutcomeCustomer:
				w.Lost += o.Count
			}
		}
		v.WinRates = append(v.WinRates, w)
	}
	lines, err := a.store.ManualLines(ctx, dashboardLines+1)
	if err != nil {
		return DashboardView{}, err
	}
	v.ManualLines, v.MoreManualLines = store.Trim(lines, dashboardLines)
	return v, nil
}

// urgent lists the open disputes that await an action due within 72 hours or overdue, soonest
// first: one query per status in which an action can be due, so that the many disputes under
// review (due dates long past, nothing to do) never crowd them out.
func (a *App) urgent(ctx context.Context, now time.Time) ([]dispute.Dispute, error) {
	var statuses []dispute.Status
	for _, t := range dispute.Types {
		for _, s := range dispute.Statuses(t) {
			if (&dispute.Dispute{Type: t, Status: s, DueBy: now}).AwaitsResponse() && !slices.Contains(statuses, s) {
				statuses = append(statuses, s)
			}
		}
	}
	var out []dispute.Dispute
	for _, s := range statuses {
		ds, err := a.store.ListDisputes(ctx, store.DisputeFilter{Status: string(s), OpenOnly: true,
			DueBefore: now.Add(72 * time.Hour), Sort: store.SortDue, Page: store.Page{Limit: dashboardUrgent}})
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			if d.AwaitsResponse() {
				out = append(out, d)
			}
		}
	}
	slices.SortStableFunc(out, func(x, y dispute.Dispute) int { return x.DueBy.Compare(y.DueBy) })
	out, _ = store.Trim(out, dashboardUrgent)
	return out, nil
}

// decided is which way an ended dispute went, for the win rate: the domain's outcome, except
// that compromises, voided orders and alerts count neither way.
func decided(o store.OutcomeCount) dispute.Outcome {
	d := dispute.Dispute{Type: dispute.Type(o.Type), Status: dispute.Status(o.Status), Resolution: dispute.Resolution(o.Resolution)}
	if d.Type == dispute.Alert || d.Resolution == dispute.Voided {
		return dispute.OutcomeNone
	}
	if out := d.Outcome(); out != dispute.OutcomeCompromise {
		return out
	}
	return dispute.OutcomeNone
}

// ListedPage is a page of the admin UI's dispute list: DisputePage, with the summaries.
type ListedPage struct {
	Disputes []ListedDispute
	// More, Stopped and Next are DisputePage's.
	More, Stopped bool
	Next          store.DisputeFilter
}

// SearchDisputes is the admin UI's dispute list: a page of f.Limit disputes at most.
func (a *App) SearchDisputes(ctx context.Context, who actor.Actor, f store.DisputeFilter) (ListedPage, error) {
	if err := staff(who, "search disputes"); err != nil {
		return ListedPage{}, err
	}
	p, err := a.DisputePage(ctx, who, f, nil)
	if err != nil {
		return ListedPage{}, err
	}
	ds, err := a.listed(ctx, who, p.Disputes)
	return ListedPage{Disputes: ds, More: p.More, Stopped: p.Stopped, Next: p.Next}, err
}
