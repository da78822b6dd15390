package paypal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/provider"
	"disputed/internal/provider/paypal/paypalfake"
)

// importNow is PayPal's clock and ours in the import tests; importSince is 70 days earlier: three
// windows of transaction search (31, 31 and 8 days).
var (
	importNow   = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	importSince = importNow.Add(-70 * 24 * time.Hour)
)

// importPage is one page an import handed over.
type importPage struct {
	ids    []string
	cursor string
}

// newImporter is a PayPal adapter on fake, with a short retry wait.
func newImporter(fake *paypalfake.Fake, apiKey string) *PayPal {
	return New(provider.Config{Type: TypeName, APIKey: apiKey, APIBase: fake.URL()}, nil,
		WithNow(func() time.Time { return importNow }), WithRetryWait(time.Millisecond))
}

// runImport imports from cursor and returns the pages and their events.
func runImport(t *testing.T, p *PayPal, cursor string) ([]importPage, []provider.Event, error) {
	t.Helper()
	var pages []importPage
	var all []provider.Event
	err := p.Import(context.Background(), importSince, cursor, func(evs []provider.Event, cursor string) error {
		pg := importPage{cursor: cursor}
		for _, ev := range evs {
			pg.ids = append(pg.ids, ev.ID)
		}
		pages, all = append(pages, pg), append(all, evs...)
		return nil
	})
	return pages, all, err
}

// historyFake is a fake PayPal holding 60 disputes (two pages of the list), and transactions
// over the three windows: 520 payments in the first (two pages of search), and in the later ones
// refunds, a reversal, and transactions an import leaves out.
func historyFake(t *testing.T) *paypalfake.Fake {
	fake := paypalfake.New(t, func() time.Time { return importNow })
	day := func(n int) time.Time { return importSince.Add(time.Duration(n)*24*time.Hour + time.Hour) }
	for i := range 60 {
		d := paypalfake.Dispute{ID: fmt.Sprintf("PP-D-%03d", i), Created: day(i % 60), Updated: day(i % 60),
			Status: "WAITING_FOR_SELLER_RESPONSE", Reason: "UNAUTHORISED", Stage: "CHARGEBACK", Channel: "EXTERNAL",
			Amount: paypalfake.Money{CurrencyCode: "EUR", Value: "49.99"}, SellerTransactionID: fmt.Sprintf("CAP%014d", i),
			SellerResponseDue: day(i%60 + 10)}
		if i == 1 {
			d.Updated, d.Status, d.Outcome = day(30), "RESOLVED", "RESOLVED_SELLER_FAVOUR"
		}
		if i == 2 {
			d.Updated, d.Status = day(20), "UNDER_REVIEW"
		}
		fake.PutDisputes(d)
	}
	for i := range 520 {
		fake.AddTransactions(paypalfake.Transaction{ID: fmt.Sprintf("PAY%014d", i), EventCode: "T0006", Status: "S",
			Amount: paypalfake.Money{CurrencyCode: "EUR", Value: "49.99"}, Initiated: day(i % 30), Updated: day(i % 30),
			InvoiceID: fmt.Sprintf("inv_%d", i), Custom: fmt.Sprintf("ord_%d", i),
			PayerEmail: fmt.Sprintf("buyer%d@example.com", i), PayerID: fmt.Sprintf("PAYER%07d", i)})
	}
	fake.AddTransactions(
		paypalfake.Transaction{ID: "REF00000000000001", ReferenceID: "PAY00000000000007", EventCode: "T1107", Status: "S",
			Amount: paypalfake.Money{CurrencyCode: "EUR", Value: "-20.00"}, Initiated: day(40), Updated: day(40)},
		paypalfake.Transaction{ID: "REV00000000000001", ReferenceID: "PAY00000000000008", EventCode: "T1106", Status: "S",
			Amount: paypalfake.Money{CurrencyCode: "EUR", Value: "-49.99"}, Initiated: day(41), Updated: day(41)},
		paypalfake.Transaction{ID: "REF00000000000002", ReferenceID: "PAY00000000000009", EventCode: "T1107", Status: "P",
			Amount: paypalfake.Money{CurrencyCode: "JPY", Value: "-500"}, Initiated: day(65), Updated: day(65)},
		// Left out: a fee, a payment the merchant sent, a pending and a denied payment.
		paypalfake.Transaction{ID: "FEE00000000000001", EventCode: "T0106", Status: "S",
			Amount: paypalfake.Money{CurrencyCode: "EUR", Value: "-1.00"}, Initiated: day(42), Updated: day(42)},
		paypalfake.Transaction{ID: "OUT00000000000001", EventCode: "T0001", Status: "S",
			Amount: paypalfake.Money{CurrencyCode: "EUR", Value: "-100.00"}, Initiated: day(43), Updated: day(43)},
		paypalfake.Transaction{ID: "PEN00000000000001", EventCode: "T0006", Status: "P",
			Amount: paypalfake.Money{CurrencyCode: "EUR", Value: "10.00"}, Initiated: day(44), Updated: day(44)},
		paypalfake.Transaction{ID: "DEN00000000000001", EventCode: "T0006", Status: "D",
			Amount: paypalfake.Money{CurrencyCode: "EUR", Value: "10.00"}, Initiated: day(45), Updated: day(45)},
	)
	return fake
}

// TestImportPagesThroughHistory: an import hands over the disputes list's two pages (each
// dispute's details), then transaction search's two pages of the first window and one of each
// later window, which are contiguous, 31 days at most, from since to now; every payment, refund
// and reversal once, and nothing else.
func TestImportPagesThroughHistory(t *testing.T) {
	t.Parallel()
	fake := historyFake(t)
	pages, evs, err := runImport(t, newImporter(fake, paypalfake.APIKey), "")
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, pg := range pages {
		sizes = append(sizes, len(pg.ids))
	}
	if want := []int{50, 10, 500, 20, 2, 1}; !reflect.DeepEqual(sizes, want) {
		t.Errorf("pages of %v events, want %v", sizes, want)
	}
	byType := map[string]int{}
	ids := map[string]bool{}
	for _, ev := range evs {
		byType[ev.Type]++
		if ids[ev.ID] {
			t.Errorf("event %s handed over twice", ev.ID)
		}
		ids[ev.ID] = true
	}
	want := map[string]int{EventDisputeCreated: 58, EventDisputeUpdated: 1, EventDisputeResolved: 1,
		EventCaptureCompleted: 520, EventCaptureRefunded: 2, EventCaptureReversed: 1}
	if !reflect.DeepEqual(byType, want) {
		t.Errorf("events by type %v, want %v", byType, want)
	}
	for _, left := range []string{"FEE00000000000001", "OUT00000000000001", "PEN00000000000001", "DEN00000000000001"} {
		if slices.ContainsFunc(evs, func(ev provider.Event) bool { return strings.Contains(ev.ID, left) }) {
			t.Errorf("transaction %s was imported", left)
		}
	}

	var windows [][2]time.Time
	for _, call := range fake.Calls() {
		path, query, _ := strings.Cut(strings.TrimPrefix(call, "GET "), "?")
		if path != paypalfake.TransactionsPath {
			continue
		}
		q, _ := url.ParseQuery(query)
		from, _ := time.Parse(time.RFC3339, q.Get("start_date"))
		to, _ := time.Parse(time.RFC3339, q.Get("end_date"))
		if q.Get("page") == "1" {
			windows = append(windows, [2]time.Time{from, to})
		}
	}
	if len(windows) != 3 || !windows[0][0].Equal(importSince) || !windows[2][1].Equal(importNow) {
		t.Fatalf("windows %v, want 3 from %v to %v", windows, importSince, importNow)
	}
	for i, w := range windows {
		if w[1].Sub(w[0]) > 31*24*time.Hour || i > 0 && !w[0].Equal(windows[i-1][1]) {
			t.Errorf("window %d %v: over 31 days or not following the one before", i, w)
		}
	}
}

// TestImportResumesAfterEachPage: resuming from the cursor handed over with any page hands over
// exactly the pages after it, and resuming from the last one nothing.
func TestImportResumesAfterEachPage(t *testing.T) {
	t.Parallel()
	p := newImporter(historyFake(t), paypalfake.APIKey)
	pages, _, err := runImport(t, p, "")
	if err != nil {
		t.Fatal(err)
	}
	for k, pg := range pages {
		rest, _, err := runImport(t, p, pg.cursor)
		if err != nil {
			t.Fatalf("resuming after page %d: %v", k, err)
		}
		if want := pages[k+1:]; !reflect.DeepEqual(rest, want) && !(len(rest) == 0 && len(want) == 0) {
			t.Errorf("resuming after page %d handed over %d pages, want the %d after it", k, len(rest), len(want))
		}
	}
}

// TestImportIDsAreStable: importing again gives the same event ids; a dispute changed since gives
// a new id for it, and only for it.
func TestImportIDsAreStable(t *testing.T) {
	t.Parallel()
	fake := historyFake(t)
	p := newImporter(fake, paypalfake.APIKey)
	_, first, err := runImport(t, p, "")
	if err != nil {
		t.Fatal(err)
	}
	fake.PutDisputes(paypalfake.Dispute{ID: "PP-D-NEW", Created: importNow.Add(-time.Hour), Updated: importNow.Add(-time.Hour),
		Status: "OPEN", Reason: "MERCHANDISE_OR_SERVICE_NOT_RECEIVED", Stage: "INQUIRY", Channel: "INTERNAL",
		Amount: paypalfake.Money{CurrencyCode: "USD", Value: "5.00"}, SellerTransactionID: "CAPNEW"},
		paypalfake.Dispute{ID: "PP-D-003", Created: importSince, Updated: importNow.Add(-2 * time.Hour),
			Status: "UNDER_REVIEW", Reason: "UNAUTHORISED", Stage: "CHARGEBACK", Channel: "EXTERNAL",
			Amount: paypalfake.Money{CurrencyCode: "EUR", Value: "49.99"}, SellerTransactionID: "CAP00000000000003"})
	_, second, err := runImport(t, p, "")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, ev := range first {
		seen[ev.ID] = true
	}
	var fresh []string
	for _, ev := range second {
		if !seen[ev.ID] {
			fresh = append(fresh, ev.ID)
		}
	}
	want := []string{"import:PP-D-NEW:OPEN:2026-12-01T11:00:00Z", "import:PP-D-003:UNDER_REVIEW:2026-12-01T10:00:00Z"}
	if !reflect.DeepEqual(fresh, want) {
		t.Errorf("new ids on the second import %v, want %v", fresh, want)
	}
}

// TestImportedNotificationsAreWebhooks: what an import hands over is each object as its
// notification carries it, read by Parse: a dispute's details under its CUSTOMER.DISPUTE.* type;
// a capture with its amount, invoice and custom id; a refund, positive, linked up to its capture.
func TestImportedNotificationsAreWebhooks(t *testing.T) {
	t.Parallel()
	_, evs, err := runImport(t, newImporter(historyFake(t), paypalfake.APIKey), "")
	if err != nil {
		t.Fatal(err)
	}
	find := func(id string) provider.Event {
		t.Helper()
		i := slices.IndexFunc(evs, func(ev provider.Event) bool { return ev.ID == id })
		if i < 0 {
			t.Fatalf("no event %s", id)
		}
		return evs[i]
	}

	resolved := find("import:PP-D-001:RESOLVED:2026-10-22T13:00:00Z")
	if d := resolved.Dispute; resolved.Type != EventDisputeResolved || d == nil || d.ProviderDisputeID != "PP-D-001" ||
		d.Status != dispute.Won || d.ChargeReference != "CAP00000000000001" || d.Amount != 4999 || d.Currency != "EUR" {
		t.Errorf("resolved dispute read as %s %+v", resolved.Type, resolved.Dispute)
	}
	if !resolved.Created.Equal(importSince.Add(30*24*time.Hour + time.Hour)) {
		t.Errorf("resolved dispute's event created %v, want its update_time", resolved.Created)
	}
	open := find("import:PP-D-005:WAITING_FOR_SELLER_RESPONSE:2026-09-27T13:00:00Z")
	if d := open.Dispute; open.Type != EventDisputeCreated || d == nil || d.Status != dispute.NeedsResponse || d.DueBy.IsZero() {
		t.Errorf("open dispute read as %s %+v", open.Type, open.Dispute)
	}

	var capture struct {
		ID           string `json:"id"`
		EventType    string `json:"event_type"`
		ResourceType string `json:"resource_type"`
		CreateTime   string `json:"create_time"`
		Resource     struct {
			ID      string `json:"id"`
			Status  string `json:"status"`
			Amount  amount `json:"amount"`
			Invoice string `json:"invoice_id"`
			Custom  string `json:"custom_id"`
			Create  string `json:"create_time"`
			Links   []link `json:"links"`
		} `json:"resource"`
	}
	if err := json.Unmarshal(find("import:PAY00000000000007:COMPLETED").Payload, &capture); err != nil {
		t.Fatal(err)
	}
	r := capture.Resource
	if capture.EventType != EventCaptureCompleted || capture.ResourceType != "capture" || r.ID != "PAY00000000000007" ||
		r.Status != "COMPLETED" || r.Amount != (amount{"EUR", "49.99"}) || r.Invoice != "inv_7" || r.Custom != "ord_7" ||
		r.Create != "2026-09-29T13:00:00Z" {
		t.Errorf("capture notification %+v", capture)
	}

	if err := json.Unmarshal(find("import:REF00000000000002:PENDING").Payload, &capture); err != nil {
		t.Fatal(err)
	}
	r = capture.Resource
	up := slices.IndexFunc(r.Links, func(l link) bool { return l.Rel == "up" })
	if capture.EventType != EventCaptureRefunded || capture.ResourceType != "refund" || r.Status != "PENDING" ||
		r.Amount != (amount{"JPY", "500"}) || up < 0 || !strings.HasSuffix(r.Links[up].Href, "/v2/payments/captures/PAY00000000000009") {
		t.Errorf("refund notification %+v", capture)
	}
	if ev := find("import:REV00000000000001:COMPLETED"); ev.Type != EventCaptureReversed || ev.Refund == nil ||
		ev.Refund.ID != "REV00000000000001" || ev.Refund.ChargeReference != "PAY00000000000008" || !ev.Refund.Made {
		t.Errorf("reversal read as %s %+v", ev.Type, ev.Refund)
	}
	// Read by the webhooks' parser: the payment (with its payer, which finds the customer) and
	// the refund as PayPal's notifications say them.
	if c := find("import:PAY00000000000007:COMPLETED").Charge; c == nil || c.ID != "PAY00000000000007" || c.Amount != 4999 ||
		c.Currency != "EUR" || !c.Made || c.Metadata["custom_id"] != "ord_7" || c.CustomerEmail != "buyer7@example.com" ||
		c.CustomerReference != "PAYER0000007" {
		t.Errorf("imported payment read as %+v", c)
	}
	// A pending refund is on its way back to the buyer, as a pending Stripe refund is: made.
	if rf := find("import:REF00000000000002:PENDING").Refund; rf == nil || rf.ChargeReference != "PAY00000000000009" ||
		rf.Amount != 500 || rf.Currency != "JPY" || !rf.Made {
		t.Errorf("imported pending refund read as %+v", rf)
	}
}

// TestImportRetriesBusyPayPal: a 429 or 5xx answer to a list call, or to the token, is retried,
// and the import hands over what it would have.
func TestImportRetriesBusyPayPal(t *testing.T) {
	t.Parallel()
	calm := historyFake(t)
	_, want, err := runImport(t, newImporter(calm, paypalfake.APIKey), "")
	if err != nil {
		t.Fatal(err)
	}
	busy := historyFake(t)
	busy.FailNext(paypalfake.TokenPath, 503)
	busy.FailNext(paypalfake.DisputesPath, 429, 500)
	busy.FailNext(paypalfake.DisputesPath+"/PP-D-010", 502)
	busy.FailNext(paypalfake.TransactionsPath, 429)
	_, got, err := runImport(t, newImporter(busy, paypalfake.APIKey), "")
	if err != nil {
		t.Fatalf("import against a busy PayPal: %v", err)
	}
	if len(got) != len(want) {
		t.Errorf("%d events against a busy PayPal, want %d", len(got), len(want))
	}
	if n, m := len(busy.Calls()), len(calm.Calls()); n != m+5 {
		t.Errorf("%d calls against a busy PayPal, want %d (%d and the 5 failed)", n, m+5, m)
	}
}

// TestImportStopsOnRefusal: credentials PayPal refuses, a call it is not allowed (403) or a
// request it refuses (400) end the import with a permanent error naming what was listed; a
// PayPal busy on every attempt ends it with an error that is not permanent, after the last
// page handed over.
func TestImportStopsOnRefusal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		apiKey    string
		fail      string
		statuses  []int
		permanent bool
		says      string
		pages     int
	}{
		{name: "wrong secret", apiKey: paypalfake.ClientID + ":wrong", permanent: true, says: "invalid_client"},
		{name: "disputes not allowed", fail: paypalfake.DisputesPath, statuses: []int{403}, permanent: true, says: "listing disputes"},
		{name: "a dispute refused", fail: paypalfake.DisputesPath + "/PP-D-055", statuses: []int{400}, permanent: true, says: "reading dispute PP-D-055"},
		{name: "search refused", fail: paypalfake.TransactionsPath, statuses: []int{401, 401}, permanent: true, says: "searching transactions", pages: 2},
		{name: "always busy", fail: paypalfake.TransactionsPath, statuses: []int{429, 429, 429, 429, 429}, says: "RATE_LIMIT_REACHED", pages: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := historyFake(t)
			if tt.fail != "" {
				fake.FailNext(tt.fail, tt.statuses...)
			}
			key := paypalfake.APIKey
			if tt.apiKey != "" {
				key = tt.apiKey
			}
			pages, _, err := runImport(t, newImporter(fake, key), "")
			if err == nil || errors.Is(err, provider.ErrPermanent) != tt.permanent || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %v, want one saying %q, permanent %v", err, tt.says, tt.permanent)
			}
			if len(pages) != tt.pages {
				t.Errorf("%d pages handed over before the error, want %d", len(pages), tt.pages)
			}
		})
	}
}

// TestImportEndsWithTheContext: an import waiting on a slow PayPal, or between two attempts,
// ends when its context does.
func TestImportEndsWithTheContext(t *testing.T) {
	t.Parallel()
	fake := historyFake(t)
	fake.SetDelay(time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := newImporter(fake, paypalfake.APIKey).Import(ctx, importSince, "", func([]provider.Event, string) error { return nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v, want the context's", err)
	}

	fake = historyFake(t)
	fake.FailNext(paypalfake.DisputesPath, 503)
	p := New(provider.Config{Type: TypeName, APIKey: paypalfake.APIKey, APIBase: fake.URL()}, nil,
		WithNow(func() time.Time { return importNow }), WithRetryWait(time.Hour))
	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := p.Import(ctx, importSince, "", func([]provider.Event, string) error { return nil }); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v while waiting to retry, want the context's", err)
	}
}

// TestImportStopsWhenAPageIsNotTaken: the error of the caller's page ends the import, as is.
func TestImportStopsWhenAPageIsNotTaken(t *testing.T) {
	t.Parallel()
	full := errors.New("inbox full")
	calls := 0
	err := newImporter(historyFake(t), paypalfake.APIKey).Import(context.Background(), importSince, "",
		func([]provider.Event, string) error { calls++; return full })
	if err != full || calls != 1 {
		t.Errorf("error %v after %d pages, want the page's after 1", err, calls)
	}
}

// TestImportCursorsAreChecked: a cursor Import cannot have given is refused, permanently.
func TestImportCursorsAreChecked(t *testing.T) {
	t.Parallel()
	p := newImporter(historyFake(t), paypalfake.APIKey)
	for _, c := range []string{"nonsense", `{"phase":"refunds"}`, `{"phase":"transactions","page":0}`, `{"phase":"disputes","query":"%zz"}`} {
		if _, _, err := runImport(t, p, c); !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("cursor %s: error %v, want ErrInvalidRequest", c, err)
		}
	}
}

// TestImportKeepsToPayPalsHistory: a since older than PayPal keeps (180 days of disputes, three
// years of transactions) starts where PayPal's history does, instead of being refused.
func TestImportKeepsToPayPalsHistory(t *testing.T) {
	t.Parallel()
	fake := historyFake(t)
	p := newImporter(fake, paypalfake.APIKey)
	err := p.Import(context.Background(), importNow.AddDate(-10, 0, 0), "", func(_ []provider.Event, cursor string) error {
		if strings.Contains(cursor, `"phase":"transactions"`) && strings.Contains(cursor, `"from"`) {
			return errors.New("enough") // the first window was accepted
		}
		return nil
	})
	if err == nil || err.Error() != "enough" {
		t.Errorf("import from ten years ago: %v", err)
	}
}

// TestImportEndsAtNow: with a clock between two seconds, the last window ends at the second
// before (PayPal's dates are to the second and a search may not end in the future), and the
// import ends there.
func TestImportEndsAtNow(t *testing.T) {
	t.Parallel()
	fake := historyFake(t)
	p := New(provider.Config{Type: TypeName, APIKey: paypalfake.APIKey, APIBase: fake.URL()}, nil,
		WithNow(func() time.Time { return importNow.Add(700 * time.Millisecond) }))
	pages := 0
	err := p.Import(context.Background(), importNow.Add(-time.Hour), "", func([]provider.Event, string) error {
		if pages++; pages > 10 {
			return errors.New("the import does not end")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	calls := fake.Calls()
	if last := calls[len(calls)-1]; !strings.Contains(last, "end_date="+url.QueryEscape(importNow.Format(time.RFC3339))) {
		t.Errorf("last call %s, want a search ending at %v", last, importNow)
	}
}
