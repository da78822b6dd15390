package web

import (
	"fmt"
	"net/http"
	"time"

	"disputed/internal/app"
	"disputed/internal/chart"
	"disputed/internal/dispute"
	"disputed/internal/monitoring"
	"disputed/internal/order"
	"disputed/internal/store"
)

// dashboardPage is the staff's start page.
type dashboardPage struct {
	V           app.DashboardView
	Urgent      []disputeRow
	ManualLines []manualLine
	WinRates    []winRate
	// Gauges are this month's ratio of each network program against its threshold, for admins
	// (who read the Analytics page they link to).
	Gauges []ratioGauge
	Month  string // the gauges' month, "March 2026"
}

// ratioGauge is a network program's ratio this month as a gauge, and its status in words
// (and its projection's, when there is one).
type ratioGauge struct {
	Program           string
	R                 monitoring.Ratio
	G                 chart.Gauge
	Status, Projected chip
}

// disputeRow is a dispute in a list, with its badges, its customer and what was bought.
type disputeRow struct {
	D        dispute.Dispute
	S        store.DisputeSummary
	Status   chip
	Deadline chip
	Due      time.Time // none once the dispute has ended
	Reason   string    // in words
	// More is how many other items the order has ("+ 2 more").
	More int
	// Advice is what fighting it is worth; nil with nothing to decide.
	Advice *advice
}

func disputeRowOf(d app.ListedDispute, now time.Time) disputeRow {
	return disputeRow{D: d.Dispute, S: d.Summary, Status: statusBadge(d.Status), Deadline: deadlineBadge(d.Dispute, now),
		Due: shownDue(d.Dispute), Reason: reasonWords(d.Reason), More: max(d.Summary.Items-1, 0)}
}

type manualLine struct {
	order.Line
	Waiting string // how long it has waited
}

type winRate struct {
	Days      int
	Won, Lost int64
	Rate      string // "67 %", or "—" when nothing was decided
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	v, err := s.app.Dashboard(r.Context(), visitorOf(r.Context()).Who)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	p := dashboardPage{V: v}
	for _, d := range v.Urgent {
		p.Urgent = append(p.Urgent, disputeRowOf(d, v.Now))
	}
	for _, l := range v.ManualLines {
		p.ManualLines = append(p.ManualLines, manualLine{Line: l, Waiting: roughly(v.Now.Sub(l.UpdatedAt))})
	}
	for _, wr := range v.WinRates {
		row := winRate{Days: wr.Days, Won: wr.Won, Lost: wr.Lost, Rate: "—"}
		if pct, ok := wr.Percent(); ok {
			row.Rate = fmt.Sprintf("%d %%", pct)
		}
		p.WinRates = append(p.WinRates, row)
	}
	if visitorOf(r.Context()).Who.IsAdmin() {
		if err := s.ratioGauges(r, &p); err != nil {
			s.failWith(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "dashboard.html", "Dashboard", p)
}

// ratioGauges puts this month's ratios on the dashboard, each held against its lowest
// threshold, with its projection to the month's end.
func (s *Server) ratioGauges(r *http.Request, p *dashboardPage) error {
	rep, err := s.app.Ratios(r.Context(), "", "")
	if err != nil {
		return err
	}
	if m, err := time.Parse("2006-01", rep.Month); err == nil {
		p.Month = m.Format("January 2006")
	}
	for _, x := range rep.Ratios {
		g := chart.GaugeSpec{ID: "gauge-" + x.Network + "-" + x.Program, Title: programWords(x), Value: x.Ratio,
			Status: string(x.Status), Format: ratioPercent}
		if len(x.Thresholds) > 0 {
			g.Threshold = x.Thresholds[0].Ratio
		}
		rg := ratioGauge{Program: g.Title, R: x, Status: ratioBadge(x.Status)}
		if x.Projected != nil {
			g.Projected, g.HasProjected = x.Projected.Ratio, true
			rg.Projected = ratioBadge(x.Projected.Status)
		}
		rg.G = chart.NewGauge(g)
		p.Gauges = append(p.Gauges, rg)
	}
	return nil
}
