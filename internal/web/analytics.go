package web

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/chart"
	"disputed/internal/fault"
	"disputed/internal/money"
	"disputed/internal/monitoring"
)

// The Analytics page (admins): over the twelve months ending with the month picked, each
// network's ratio against its program's threshold, the disputes per week by type (the last twelve
// weeks), the win rate by reason category and the money recovered and lost per month in the
// reporting currency, each as an SVG chart with its numbers in a table, and the period's totals.

const (
	analyticsMonths = 12
	analyticsWeeks  = 12
)

type analyticsPage struct {
	Month      string // YYYY-MM: the period's last month, the picker's value
	ThisMonth  string // the picker's latest month
	From, To   time.Time
	Reporting  string
	Missing    []string // currencies without a rate to Reporting: left out of the amounts
	Totals     app.OutcomeGroup
	Ratios     chart.Chart
	RatioRows  []ratioRow
	Weekly     chart.Chart
	WeekTypes  []string // the weekly table's columns, in words
	WeeklyRows []weekRow
	Categories chart.Chart
	Category   []app.OutcomeGroup
	Money      chart.Chart
	MoneyRows  []app.OutcomeGroup
	GroupBy    []string // what the outcomes export may group by
}

// PeriodWords is the period in words: "April 2025 – March 2026".
func (p analyticsPage) PeriodWords() string {
	return p.From.Format("January 2006") + " – " + p.To.AddDate(0, 0, -1).Format("January 2006")
}

// ratioRow is one network program's ratio in one month, for the ratio chart's table.
type ratioRow struct {
	Month, Program string
	R              monitoring.Ratio
	Threshold      string // the lowest threshold in force, "—" for none
	Status         chip
}

// weekRow is one week's disputes by type (Counts in the order of WeekTypes).
type weekRow struct {
	Week   string
	Counts []int64
	Total  int64
}

func (s *Server) analyticsPage(w http.ResponseWriter, r *http.Request) {
	if err := actor.RequireAdmin(visitorOf(r.Context()).Who, "read analytics"); err != nil {
		s.failWith(w, r, err)
		return
	}
	now := s.cfg.Now().UTC()
	p := analyticsPage{ThisMonth: now.Format("2006-01"), Month: r.URL.Query().Get("month")}
	var err error
	if p.Month, p.From, p.To, err = analyticsPeriod(p.Month, now); err != nil {
		s.failWith(w, r, err)
		return
	}
	p.GroupBy = app.OutcomeDimensions
	if err := s.analyticsRatios(r, &p); err != nil {
		s.failWith(w, r, err)
		return
	}
	end := p.To
	if now.Before(end) {
		end = now
	}
	weekFrom, weekTo := weeksEnding(end)
	if err := s.analyticsOutcomes(r, &p, weekFrom, weekTo); err != nil {
		s.failWith(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "analytics.html", "Analytics", p)
}

// analyticsPeriod is the period the Analytics page shows: the analyticsMonths months ending
// with month (YYYY-MM, up to now's; "" is now's), and that month.
func analyticsPeriod(month string, now time.Time) (string, time.Time, time.Time, error) {
	thisMonth := now.Format("2006-01")
	if month == "" {
		month = thisMonth
	}
	last, err := time.Parse("2006-01", month)
	if err != nil || month > thisMonth {
		return "", time.Time{}, time.Time{}, fault.Invalidf(fault.CodeInvalidValue, "month", "%q is not a month up to this one, such as %s", month, thisMonth)
	}
	return month, last.AddDate(0, 1-analyticsMonths, 0), last.AddDate(0, 1, 0), nil
}

// weeksEnding is the period of the analyticsWeeks weeks (Monday to Monday) whose last holds the
// instant before end.
func weeksEnding(end time.Time) (from, to time.Time) {
	day := end.Add(-time.Nanosecond).UTC()
	monday := time.Date(day.Year(), day.Month(), day.Day()-(int(day.Weekday())+6)%7, 0, 0, 0, 0, time.UTC)
	return monday.AddDate(0, 0, -7*(analyticsWeeks-1)), monday.AddDate(0, 0, 7)
}

// analyticsRatios reads each month's ratios and charts them, a line per network program with
// its lowest threshold dashed.
func (s *Server) analyticsRatios(r *http.Request, p *analyticsPage) error {
	var months []string
	var programs []string
	values := map[string][]float64{}
	thresholds := map[string][]float64{}
	for i := range analyticsMonths {
		m := p.From.AddDate(0, i, 0)
		months = append(months, m.Format("Jan 2006"))
		rep, err := s.app.Ratios(r.Context(), m.Format("2006-01"), "")
		if err != nil {
			return err
		}
		for _, x := range rep.Ratios {
			name := programWords(x)
			if _, ok := values[name]; !ok {
				programs = append(programs, name)
				values[name], thresholds[name] = make([]float64, analyticsMonths), make([]float64, analyticsMonths)
			}
			row := ratioRow{Month: m.Format("Jan 2006"), Program: name, R: x, Threshold: "—", Status: ratioBadge(x.Status)}
			values[name][i] = x.Ratio
			if len(x.Thresholds) > 0 {
				thresholds[name][i] = x.Thresholds[0].Ratio
				row.Threshold = ratioPercent(x.Thresholds[0].Ratio)
			}
			p.RatioRows = append(p.RatioRows, row)
		}
	}
	var series []chart.Series
	for _, name := range programs {
		series = append(series, chart.Series{Name: name, Values: values[name], Threshold: thresholds[name]})
	}
	p.Ratios = chart.Line(chart.Spec{ID: "chart-ratios", Title: "Dispute ratio by month against each program's threshold",
		X: months, Series: series, Format: ratioPercent})
	return nil
}

// analyticsOutcomes reads the outcomes of the weeks, of the period by reason category and by
// month, and charts them.
func (s *Server) analyticsOutcomes(r *http.Request, p *analyticsPage, weekFrom, weekTo time.Time) error {
	weekly, err := s.app.Outcomes(r.Context(), app.OutcomeQuery{From: weekFrom, To: weekTo, GroupBy: []string{"week", "type"}})
	if err != nil {
		return err
	}
	byCategory, err := s.app.Outcomes(r.Context(), app.OutcomeQuery{From: p.From, To: p.To, GroupBy: []string{"reason_category"}})
	if err != nil {
		return err
	}
	byMonth, err := s.app.Outcomes(r.Context(), app.OutcomeQuery{From: p.From, To: p.To, GroupBy: []string{"month"}})
	if err != nil {
		return err
	}
	p.weekly(weekly, weekFrom)
	p.Category = byCategory.Groups
	var categories []string
	rates := make([]float64, len(byCategory.Groups))
	for i, g := range byCategory.Groups {
		categories = append(categories, humanize(g.Key[0]))
		rates[i] = g.WinRate * 100
	}
	p.Categories = chart.GroupedBars(chart.Spec{ID: "chart-categories", Title: "Win rate by reason category", X: categories, Max: 100,
		Series: []chart.Series{{Name: "Win rate", Values: rates}}, Format: func(v float64) string { return fmt.Sprintf("%.0f %%", v) }})

	p.Reporting, p.Totals, p.Missing = byMonth.ReportingCurrency, byMonth.Total, byMonth.Total.MissingRates
	var months []string
	recovered, lost := make([]float64, analyticsMonths), make([]float64, analyticsMonths)
	for i := range analyticsMonths {
		// Every month of the period, a month without disputes as zeros.
		m := p.From.AddDate(0, i, 0).Format("2006-01")
		g := app.OutcomeGroup{Key: []string{m}}
		if at := slices.IndexFunc(byMonth.Groups, func(g app.OutcomeGroup) bool { return g.Key[0] == m }); at >= 0 {
			g = byMonth.Groups[at]
		}
		p.MoneyRows = append(p.MoneyRows, g)
		months = append(months, monthWords(m))
		recovered[i], lost[i] = float64(g.Reporting.Recovered), float64(g.Reporting.Lost)
	}
	p.Money = chart.GroupedBars(chart.Spec{ID: "chart-money", Title: "Money recovered and lost by month, in " + p.Reporting, X: months,
		Series: []chart.Series{{Name: "Recovered", Class: "series-good", Values: recovered}, {Name: "Lost", Class: "series-bad", Values: lost}},
		Format: moneyAxis(p.Reporting)})
	return nil
}

// weekly charts the disputes per week, stacked by type, every week of the period shown even
// with none.
func (p *analyticsPage) weekly(rep app.OutcomeReport, from time.Time) {
	var types []string
	for _, g := range rep.Groups {
		if !slices.Contains(types, g.Key[1]) {
			types = append(types, g.Key[1])
		}
	}
	slices.Sort(types)
	var weeks []string
	counts := make([][]float64, len(types))
	for i := range analyticsWeeks {
		monday := from.AddDate(0, 0, 7*i)
		row := weekRow{Week: monday.Format("2 Jan 2006"), Counts: make([]int64, len(types))}
		for _, g := range rep.Groups {
			if g.Key[0] == monday.Format("2006-01-02") {
				t := slices.Index(types, g.Key[1])
				row.Counts[t] += g.Disputes
				row.Total += g.Disputes
			}
		}
		weeks = append(weeks, monday.Format("2 Jan"))
		for t := range types {
			counts[t] = append(counts[t], float64(row.Counts[t]))
		}
		p.WeeklyRows = append(p.WeeklyRows, row)
	}
	var series []chart.Series
	for t, typ := range types {
		p.WeekTypes = append(p.WeekTypes, humanize(typ))
		series = append(series, chart.Series{Name: humanize(typ), Values: counts[t]})
	}
	p.Weekly = chart.StackedBars(chart.Spec{ID: "chart-weekly", Title: "Disputes opened per week, by type", X: weeks, Series: series})
}

// networkNames are the card networks as people write them.
var networkNames = map[string]string{"visa": "Visa", "mastercard": "Mastercard", "amex": "American Express", "discover": "Discover"}

// programWords names a network's program: "Visa VAMP".
func programWords(r monitoring.Ratio) string {
	n := networkNames[r.Network]
	if n == "" {
		n = r.Network
	}
	return n + " " + strings.ToUpper(r.Program)
}

// ratioBadge colours a ratio's status by how near its threshold it is.
func ratioBadge(s monitoring.Status) chip {
	class := map[monitoring.Status]string{monitoring.StatusOK: "good", monitoring.StatusApproaching: "wait", monitoring.StatusExcessive: "bad"}[s]
	return chip{Text: string(s), Class: "status " + cmp.Or(class, "neutral")}
}

// ratioPercent writes a ratio (a fraction) as a percentage to the hundredth: the thresholds
// are 1.5 % and 3 %, so a hundredth of a point is what moves a merchant towards one.
func ratioPercent(v float64) string { return fmt.Sprintf("%.2f %%", v*100) }

// winRatePercent writes a group's win rate to the percent, or "—" when nothing was decided.
func winRatePercent(g app.OutcomeGroup) string {
	if g.Won+g.Lost == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f %%", g.WinRate*100)
}

// monthWords writes YYYY-MM as "Mar 2026", or as it is when it is not a month.
func monthWords(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return t.Format("Jan 2006")
}

// moneyAxis writes an amount in minor units of currency in its major units, short enough for
// an axis: 950, 12.5k, 3M (the table beside the chart has the exact amounts).
func moneyAxis(currency string) func(float64) string {
	exp, ok := money.Exponent(currency)
	if !ok {
		exp = 0
	}
	return func(v float64) string {
		v /= math.Pow10(exp)
		for _, u := range []struct {
			size   float64
			suffix string
		}{{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}} {
			if math.Abs(v) >= u.size {
				return strconv.FormatFloat(v/u.size, 'g', 3, 64) + u.suffix
			}
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
}
