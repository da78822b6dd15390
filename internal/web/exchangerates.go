package web

import (
	"net/http"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// The exchange rates page, under the settings: the rates the merchant recorded, which rules and
// the recommendation convert amounts with, the reporting currency (set on the settings page), and
// for admins the form that records a rate and the buttons that delete one. Staff read it, as in
// the API.

const ratesPP = 50

type rateForm struct{ From, To, Rate, EffectiveFrom, Error string }

type exchangeRatesPage struct {
	Rates     []store.ExchangeRate
	Reporting string // the reporting currency in force
	Admin     bool   // may record and delete rates, and open the settings
	Pager     pager
	Form      rateForm
	names     map[string]string
	Message   string
}

func (p exchangeRatesPage) problem() string { return p.Message }

// Who names the actor that recorded a rate.
func (p exchangeRatesPage) Who(recorded string) string {
	if n := p.names[recorded]; n != "" {
		return n
	}
	return recorded
}

func (s *Server) exchangeRatesPage(w http.ResponseWriter, r *http.Request) {
	s.showExchangeRates(w, r, http.StatusOK, exchangeRatesPage{})
}

func (s *Server) showExchangeRates(w http.ResponseWriter, r *http.Request, status int, p exchangeRatesPage) {
	who := visitorOf(r.Context()).Who
	pg, nav := listPage(r, ratesPP)
	rates, more, err := s.app.ExchangeRates(r.Context(), who, store.ExchangeRateFilter{Page: pg})
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	if p.Reporting, err = s.app.ReportingCurrency(r.Context(), who); err != nil {
		s.failWith(w, r, err)
		return
	}
	actors := make([]string, len(rates))
	for i, rt := range rates {
		actors[i] = rt.CreatedBy
	}
	if p.names, err = s.access.ActorNames(r.Context(), who, actors); err != nil {
		s.failWith(w, r, err)
		return
	}
	p.Rates, p.Pager, p.Admin = rates, nav.withMore(more), who.Role == actor.Admin
	s.render(w, r, status, "exchangerates.html", "Exchange rates", p)
}

func (s *Server) recordExchangeRate(w http.ResponseWriter, r *http.Request) {
	f := rateForm{From: strings.TrimSpace(r.PostFormValue("from")), To: strings.TrimSpace(r.PostFormValue("to")),
		Rate: strings.TrimSpace(r.PostFormValue("rate")), EffectiveFrom: r.PostFormValue("effective_from")}
	effective, err := parseEffective(f.EffectiveFrom)
	if err == nil {
		_, err = s.app.SaveExchangeRate(r.Context(), visitorOf(r.Context()).Who, app.ExchangeRateParams{From: f.From, To: f.To, Rate: f.Rate,
			EffectiveFrom: effective})
	}
	if err != nil {
		status, msg, ok := formProblem(err)
		if !ok {
			s.failWith(w, r, err)
			return
		}
		f.Error = msg
		s.showExchangeRates(w, r, status, exchangeRatesPage{Form: f})
		return
	}
	done(w, r, "/settings/exchange-rates", noticeRateRecorded)
}

func (s *Server) deleteExchangeRate(w http.ResponseWriter, r *http.Request) {
	if err := s.app.DeleteExchangeRate(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id")); err != nil {
		s.failWith(w, r, err)
		return
	}
	done(w, r, "/settings/exchange-rates", noticeRateDeleted)
}

// parseEffective reads the form's "in force from": a datetime-local value in UTC, a bare date
// meaning the start of that day, or nothing for now (nil).
func parseEffective(v string) (*time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, time.UTC); err == nil {
			return &t, nil
		}
	}
	return nil, fault.Invalidf(fault.CodeInvalidValue, "effective_from", "in force from: not a date and time such as 2026-01-31T00:00")
}
