package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/csvout"
	"disputed/internal/csvout/csvhttp"
	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
)

// exportDisputes downloads, as CSV, every dispute the dispute list's filters match (the list's
// own search, newest first whatever its order), as GET /v1/disputes.csv does.
func (s *Server) exportDisputes(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if msg := overlongFilter(q, disputeFilterNames...); msg != "" {
		s.fail(w, r, http.StatusUnprocessableEntity, msg)
		return
	}
	_, search, _ := disputeSearch(q, s.cfg.Now())
	who := visitorOf(r.Context()).Who
	err := csvhttp.Stream(r.Context(), w, s.cfg.Logger, csvhttp.FileName("disputes", s.cfg.Now()), csvout.DisputeColumns,
		func(each func([]dispute.Dispute) error) error {
			return s.app.ExportDisputes(r.Context(), who, search, nil, each)
		})
	if err != nil {
		s.failWith(w, r, err)
	}
}

// exportTransactions downloads, as CSV, the transactions made from the day from to the day to
// (YYYY-MM-DD, both included, UTC; either may be left empty), or an order's (order_id).
func (s *Server) exportTransactions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if msg := overlongFilter(q, "from", "to", "order_id"); msg != "" {
		s.fail(w, r, http.StatusUnprocessableEntity, msg)
		return
	}
	created, err := dayRange(q.Get("from"), q.Get("to"))
	if err != nil {
		s.fail(w, r, http.StatusUnprocessableEntity, err.Error())
		return
	}
	f := store.TransactionFilter{Created: created, OrderID: strings.TrimSpace(q.Get("order_id"))}
	who := visitorOf(r.Context()).Who
	err = csvhttp.Stream(r.Context(), w, s.cfg.Logger, csvhttp.FileName("transactions", s.cfg.Now()), csvout.TransactionColumns,
		func(each func([]order.Transaction) error) error {
			return s.app.ExportTransactions(r.Context(), who, f, each)
		})
	if err != nil {
		s.failWith(w, r, err)
	}
}

// dayRange is the time from the start of the day from to the end of the day to (UTC), each
// YYYY-MM-DD or empty for no bound.
func dayRange(from, to string) (store.Created, error) {
	var c store.Created
	if from != "" {
		day, err := time.ParseInLocation(time.DateOnly, from, time.UTC)
		if err != nil {
			return c, errors.New("The first day is not a date (YYYY-MM-DD).")
		}
		c.After = day
	}
	if to != "" {
		day, err := time.ParseInLocation(time.DateOnly, to, time.UTC)
		if err != nil {
			return c, errors.New("The last day is not a date (YYYY-MM-DD).")
		}
		c.Before = day.AddDate(0, 0, 1)
	}
	if !c.After.IsZero() && !c.Before.IsZero() && !c.After.Before(c.Before) {
		return c, errors.New("The last day is before the first.")
	}
	return c, nil
}

// exportOutcomes downloads, as CSV, the outcomes of the Analytics page's period (month, as the
// page takes it) grouped by group_by (one dimension), as GET /v1/analytics/outcomes.csv does.
func (s *Server) exportOutcomes(w http.ResponseWriter, r *http.Request) {
	who := visitorOf(r.Context()).Who
	if err := actor.RequireAdmin(who, "read analytics"); err != nil {
		s.failWith(w, r, err)
		return
	}
	q := r.URL.Query()
	if msg := overlongFilter(q, "month", "group_by"); msg != "" {
		s.fail(w, r, http.StatusUnprocessableEntity, msg)
		return
	}
	_, from, to, err := analyticsPeriod(q.Get("month"), s.cfg.Now().UTC())
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	query := app.OutcomeQuery{From: from, To: to}
	if g := q.Get("group_by"); g != "" {
		query.GroupBy = []string{g}
	}
	err = csvhttp.Stream(r.Context(), w, s.cfg.Logger, csvhttp.FileName("outcomes", s.cfg.Now()), csvout.OutcomeColumns(app.OutcomeDimensions),
		func(each func([]csvout.OutcomeRow) error) error {
			report, err := s.app.Outcomes(r.Context(), query)
			if err != nil {
				return err
			}
			return each(report.CSVRows())
		})
	if err != nil {
		s.failWith(w, r, err)
	}
}
