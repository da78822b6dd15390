package web

import (
	"fmt"
	"net/http"
	"time"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
)

// dashboardPage is the staff's start page.
type dashboardPage struct {
	V           app.DashboardView
	Urgent      []disputeRow
	ManualLines []manualLine
	WinRates    []winRate
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
	s.render(w, r, http.StatusOK, "dashboard.html", "Dashboard", p)
}
