package web_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/money"
	"disputed/internal/testenv"
)

var (
	rowPattern  = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	cellPattern = regexp.MustCompile(`(?s)<t[dh][^>]*>(.*?)</t[dh]>`)
	tagPattern  = regexp.MustCompile(`<[^>]+>`)
)

// tableRows are the text of each body row's cells of the table with the id given.
func tableRows(t *testing.T, body, id string) [][]string {
	t.Helper()
	start := strings.Index(body, `id="`+id+`"`)
	if start < 0 {
		t.Fatalf("the page has no table #%s", id)
	}
	table := body[start:]
	table = table[strings.Index(table, "<tbody>"):strings.Index(table, "</table>")]
	var rows [][]string
	for _, r := range rowPattern.FindAllStringSubmatch(table, -1) {
		var cells []string
		for _, c := range cellPattern.FindAllStringSubmatch(r[1], -1) {
			cells = append(cells, strings.TrimSpace(html.UnescapeString(tagPattern.ReplaceAllString(c[1], ""))))
		}
		rows = append(rows, cells)
	}
	return rows
}

// svgOf is the markup of the svg with the id given.
func svgOf(t *testing.T, body, id string) string {
	t.Helper()
	start := strings.Index(body, `<svg id="`+id+`"`)
	if start < 0 {
		t.Fatalf("the page has no chart #%s", id)
	}
	return body[start : start+strings.Index(body[start:], "</svg>")]
}

func pct(v float64, decimals int) string { return strconv.FormatFloat(v*100, 'f', decimals, 64) + " %" }

func amount(minor int64, currency string) string {
	s, _ := money.FormatDecimal(minor, currency)
	return s + " " + currency
}

// TestUIAnalyticsShowsWhatTheUseCasesCount: the Analytics page shows in its tables exactly the
// ratios and outcomes the use cases compute for its twelve months (and twelve weeks), draws a
// mark for each, says what it shows in each chart's title and description, and links from the
// admin's navigation; the dashboard holds this month's ratios as gauges. An agent gets neither.
func TestUIAnalyticsShowsWhatTheUseCasesCount(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		won := e.Dispute(e.Sale(testenv.SaleParams{Amount: 4999}), "chargeback", func(p *app.DisputeParams) { p.Reason = "fraudulent" })
		lost := e.Dispute(e.Sale(testenv.SaleParams{Amount: 2500}), "chargeback", func(p *app.DisputeParams) { p.Reason = "product_not_received" })
		e.Dispute(e.Sale(testenv.SaleParams{Amount: 1200, Currency: "EUR"}), "inquiry")
		testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, won.ID, nil, app.ResolveParams{Resolution: "won"}))(t)
		testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, lost.ID, nil, app.ResolveParams{Resolution: "lost"}))(t)
		admin := e.Forms(c, actor.Admin, "")

		page := admin.Get("/analytics?month=2026-03")
		if page.Status != http.StatusOK {
			t.Fatalf("GET /analytics: %d %s", page.Status, page.Body)
		}
		if !strings.Contains(page.Body, `<a href="/analytics">Analytics</a>`) {
			t.Error("the admin's navigation has no Analytics link")
		}

		// The ratios: twelve months to March 2026, a line (a dot a month) per program.
		var want [][]string
		programs := map[string]bool{}
		for m := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC); m.Before(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)); m = m.AddDate(0, 1, 0) {
			rep := testenv.Must(e.App.Ratios(e.Ctx, m.Format("2006-01"), ""))(t)
			for _, r := range rep.Ratios {
				threshold := "—"
				if len(r.Thresholds) > 0 {
					threshold = pct(r.Thresholds[0].Ratio, 2)
				}
				want = append(want, []string{m.Format("Jan 2006"), strings.ToUpper(r.Program), fmt.Sprint(r.Disputes), fmt.Sprint(r.FraudReports),
					fmt.Sprint(r.Transactions), pct(r.Ratio, 2), threshold, string(r.Status)})
				programs[r.Network+r.Program] = true
			}
		}
		got := tableRows(t, page.Body, "ratios-table")
		if len(got) != len(want) {
			t.Fatalf("the ratios table has %d rows, want %d: %q", len(got), len(want), got)
		}
		for i, w := range want {
			g := got[i]
			if len(g) != 8 || g[0] != w[0] || !strings.Contains(g[1], w[1]) || strings.Join(g[2:], "|") != strings.Join(w[2:], "|") {
				t.Errorf("ratios row %d is %q, want %q", i, g, w)
			}
		}
		ratios := svgOf(t, page.Body, "chart-ratios")
		if n := strings.Count(ratios, "<circle"); n != 12*len(programs) {
			t.Errorf("the ratio chart has %d dots, want 12 for each of %d programs", n, len(programs))
		}

		// The disputes per week, by type: the twelve weeks to the one of 2 March 2026.
		weekly := testenv.Must(e.App.Outcomes(e.Ctx, app.OutcomeQuery{From: time.Date(2025, 12, 15, 0, 0, 0, 0, time.UTC),
			To: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), GroupBy: []string{"week", "type"}}))(t)
		perWeek, marks := map[string]int64{}, 0
		for _, g := range weekly.Groups {
			perWeek[g.Key[0]] += g.Disputes
			if g.Disputes > 0 {
				marks++
			}
		}
		rows := tableRows(t, page.Body, "weekly-table")
		if len(rows) != 12 {
			t.Fatalf("the weekly table has %d rows, want 12", len(rows))
		}
		for i, row := range rows {
			monday := time.Date(2025, 12, 15+7*i, 0, 0, 0, 0, time.UTC)
			if row[0] != monday.Format("2 Jan 2006") || row[len(row)-1] != fmt.Sprint(perWeek[monday.Format("2006-01-02")]) {
				t.Errorf("week row %d is %q, want the week of %s with %d disputes", i, row, monday.Format("2 Jan 2006"), perWeek[monday.Format("2006-01-02")])
			}
		}
		if n := strings.Count(svgOf(t, page.Body, "chart-weekly"), "<rect"); n != marks {
			t.Errorf("the weekly chart has %d bars, want %d: one per week and type with disputes", n, marks)
		}

		// The win rate by reason category, and the money by month, over the twelve months.
		period := app.OutcomeQuery{From: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
		byCategory := period
		byCategory.GroupBy = []string{"reason_category"}
		categories := testenv.Must(e.App.Outcomes(e.Ctx, byCategory))(t)
		rows, marks = tableRows(t, page.Body, "categories-table"), 0
		if len(rows) != len(categories.Groups) {
			t.Fatalf("the categories table has %d rows, want %d", len(rows), len(categories.Groups))
		}
		for i, g := range categories.Groups {
			rate := "—"
			if g.Won+g.Lost > 0 {
				rate = pct(g.WinRate, 0)
			}
			if g.WinRate > 0 {
				marks++
			}
			w := []string{strings.ReplaceAll(g.Key[0], "_", " "), fmt.Sprint(g.Disputes), fmt.Sprint(g.Won), fmt.Sprint(g.Lost), fmt.Sprint(g.Accepted), rate}
			if strings.Join(rows[i], "|") != strings.Join(w, "|") {
				t.Errorf("category row %d is %q, want %q", i, rows[i], w)
			}
		}
		if n := strings.Count(svgOf(t, page.Body, "chart-categories"), "<rect"); n != marks {
			t.Errorf("the category chart has %d bars, want %d", n, marks)
		}

		byMonth := period
		byMonth.GroupBy = []string{"month"}
		months := testenv.Must(e.App.Outcomes(e.Ctx, byMonth))(t)
		cur := months.ReportingCurrency
		rows, marks = tableRows(t, page.Body, "money-table"), 0
		if len(rows) != 12 {
			t.Fatalf("the money table has %d rows, want one per month", len(rows))
		}
		for i := range rows {
			g := app.OutcomeGroup{Key: []string{period.From.AddDate(0, i, 0).Format("2006-01")}}
			for _, h := range months.Groups {
				if h.Key[0] == g.Key[0] {
					g = h
				}
			}
			m := g.Reporting
			for _, v := range []int64{m.Recovered, m.Lost} {
				if v != 0 {
					marks++
				}
			}
			w := []string{testenv.Must(time.Parse("2006-01", g.Key[0]))(t).Format("Jan 2006"), amount(m.Disputed, cur), amount(m.Recovered, cur),
				amount(m.Lost, cur), amount(m.Fees, cur), amount(m.Net, cur)}
			if strings.Join(rows[i], "|") != strings.Join(w, "|") {
				t.Errorf("money row %d is %q, want %q", i, rows[i], w)
			}
		}
		if n := strings.Count(svgOf(t, page.Body, "chart-money"), "<rect"); n != marks {
			t.Errorf("the money chart has %d bars, want %d", n, marks)
		}
		for id, v := range map[string]string{"total-disputes": fmt.Sprint(months.Total.Disputes), "total-net": amount(months.Total.Reporting.Net, cur)} {
			if !strings.Contains(page.Body, `id="`+id+`">`+v+"<") {
				t.Errorf("the period's totals lack #%s %s", id, v)
			}
		}
		if missing := months.Total.MissingRates; len(missing) > 0 && !strings.Contains(page.Body, "is recorded for "+strings.Join(missing, ", ")+":") {
			t.Errorf("the page does not say that %v have no rate to %s", missing, cur)
		}

		for _, id := range []string{"chart-ratios", "chart-weekly", "chart-categories", "chart-money"} {
			svg := svgOf(t, page.Body, id)
			for _, part := range []string{`role="img"`, `aria-labelledby="` + id + `-title ` + id + `-desc"`, `<title id="` + id + `-title">`, `<desc id="` + id + `-desc">`} {
				if !strings.Contains(svg, part) {
					t.Errorf("chart #%s lacks %s", id, part)
				}
			}
			if strings.Contains(svg, "NaN") || strings.Contains(svg, "Inf") || strings.Contains(svg, "style=") {
				t.Errorf("chart #%s has NaN, Inf or an inline style", id)
			}
		}

		// The dashboard: this month's ratios as gauges.
		now := testenv.Must(e.App.Ratios(e.Ctx, "", ""))(t)
		dash := admin.Get("/")
		for _, r := range now.Ratios {
			svgOf(t, dash.Body, "gauge-"+r.Network+"-"+r.Program)
			item := dash.Body[strings.Index(dash.Body, `<li id="ratio-`+r.Network+"-"+r.Program+`">`):]
			item = tagPattern.ReplaceAllString(item[:strings.Index(item, "<svg")], "")
			words := pct(r.Ratio, 2) + " so far, " + string(r.Status)
			if r.Projected != nil {
				words += "; projected " + pct(r.Projected.Ratio, 2) + " by the month's end, " + string(r.Projected.Status)
			}
			if !strings.Contains(html.UnescapeString(item), words) {
				t.Errorf("the dashboard says %q of %s %s, want %q", item, r.Network, r.Program, words)
			}
		}
		if len(now.Ratios) > 0 && !strings.Contains(dash.Body, `<a href="/analytics">Ratios month by month`) {
			t.Error("the dashboard's ratios do not link to Analytics")
		}

		agent := e.Forms(c, actor.Agent, "")
		if a := agent.Get("/analytics"); a.Status != http.StatusForbidden {
			t.Errorf("GET /analytics as an agent: %d, want 403", a.Status)
		}
		if d := agent.Get("/"); strings.Contains(d.Body, "/analytics") || strings.Contains(d.Body, "ratio-gauges") {
			t.Error("an agent's dashboard offers the ratios or Analytics")
		}
	})
}

// TestUIAnalyticsMonthPicker: the picker shows the twelve months to the one picked, and a month
// that is not one, or is still to come, is refused with the field named.
func TestUIAnalyticsMonthPicker(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		admin := e.Forms(c, actor.Admin, "")
		page := admin.Get("/analytics?month=2025-06")
		if page.Status != http.StatusOK || !strings.Contains(page.Body, "From July 2024 – June 2025.") ||
			!strings.Contains(page.Body, `name="month" value="2025-06" max="2026-03"`) {
			t.Errorf("June 2025 picked: %d, want the period July 2024 – June 2025 and the picker on June", page.Status)
		}
		if rows := tableRows(t, page.Body, "weekly-table"); rows[len(rows)-1][0] != "30 Jun 2025" {
			t.Errorf("the last week shown for June 2025 is %q, want the week of 30 Jun 2025", rows[len(rows)-1][0])
		}
		for _, bad := range []string{"2026-13", "June", "2026-04"} {
			if a := admin.Get("/analytics?month=" + bad); a.Status != http.StatusUnprocessableEntity || !strings.Contains(a.Body, "&#34;"+bad+"&#34; is not a month up to this one") ||
				!strings.Contains(a.Body, "<h1>That cannot be done</h1>") {
				t.Errorf("month=%s: %d, want 422 headed in words, saying it is not a month up to this one", bad, a.Status)
			}
		}
	})
}
