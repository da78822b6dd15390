package httpapi_test

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/store"
	"disputed/internal/testenv"
	"disputed/internal/webhook"
)

// TestDisputeListReadBound: a filter that no index narrows and that matches only the oldest of
// eleven disputes, with the server reading at most four disputes a list, answers pages that
// stopped at the bound (read_bound_reached, has_more, next_cursor, no dispute), and following
// the cursors finds the one match exactly once.
func TestDisputeListReadBound(t *testing.T) {
	t.Parallel()
	const readAtMost, n = 4, 11
	testenv.EachWith(t, testenv.Options{ListReadAtMost: readAtMost}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		oldest := e.OneDueSoon(n)
		// The tag's index is walked; the due date is checked on the disputes it yields.
		followBound(t, c, "/v1/disputes?limit=2&tag=walk&due_before="+url.QueryEscape(e.Clock.Now().Add(2*time.Hour).Format(time.RFC3339)),
			oldest, n, readAtMost)
	})
}

// TestTransactionListReadBound: a provider, which no index narrows, matching only the oldest of
// eleven transactions, with the server reading at most four rows a list, answers pages that
// stopped at the bound, and following the cursors finds the one match exactly once.
func TestTransactionListReadBound(t *testing.T) {
	t.Parallel()
	const readAtMost, n = 4, 11
	testenv.EachWith(t, testenv.Options{ListReadAtMost: readAtMost}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		amount := int64(700)
		oldest := testenv.Must(e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "charge",
			Money: app.Money{Amount: &amount, Currency: "usd"}, Provider: "paypal", ProviderReference: "PAY-1"}))(t).Transaction.ID
		for range n - 1 {
			e.Clock.Advance(time.Millisecond)
			e.Sale(testenv.SaleParams{Amount: 1000, Currency: "USD"})
		}
		followBound(t, c, "/v1/transactions?limit=2&provider=paypal", oldest, n, readAtMost)
	})
}

// TestJobListReadBound: a kind, which no index serves, matching only the oldest of eleven jobs,
// with the server reading at most four rows a list, answers pages that stopped at the bound, and
// following the cursors finds the one match exactly once.
func TestJobListReadBound(t *testing.T) {
	t.Parallel()
	const readAtMost, n = 4, 11
	testenv.EachWith(t, testenv.Options{ListReadAtMost: readAtMost}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		oldest := e.OneRareJob(n)
		followBound(t, c, "/v1/jobs?limit=2&kind=rare", oldest, n, readAtMost)
	})
}

// TestProviderEventListReadBound: a state, which the index of the events not applied does not
// tell apart, matching only the oldest of eleven stored events, with the server reading at most
// four rows a list, answers pages that stopped at the bound, and following the cursors finds the
// one match exactly once; so does the older page style, the rows it skips counted in the bound.
// A provider's few events, read through its index, come whole in one page.
func TestProviderEventListReadBound(t *testing.T) {
	t.Parallel()
	const readAtMost, n = 4, 11
	testenv.EachWith(t, testenv.Options{ListReadAtMost: readAtMost, DeferApplying: true}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		oldest := e.OneRareProviderEvent(n)
		followBound(t, c, "/v1/provider_events?limit=2&state=failed", oldest, n, readAtMost)
		followBound(t, c, "/v1/provider_events?per_page=2&page=2&state=failed", oldest, n, readAtMost)
		l := testenv.Want[httpapi.ProviderEventList](t, c.Get("/v1/provider_events?limit=2&provider=rare"), 200)
		if l.ReadBoundReached || l.HasMore || len(l.Data) != 1 || l.Data[0].ID != oldest {
			t.Errorf("the rare provider's one event: read_bound_reached %v, has_more %v, %d events; want %s alone, whole",
				l.ReadBoundReached, l.HasMore, len(l.Data), oldest)
		}
	})
}

// TestOrderListReadBound: a vendor, checked on the orders of a customer's index, matching only
// the oldest of eleven orders, with the server reading at most four rows a list, answers pages
// that stopped at the bound, and following the cursors finds the one match exactly once; so
// does the older page style, and a page that starts past the bound stops at it (deepPage).
func TestOrderListReadBound(t *testing.T) {
	t.Parallel()
	const readAtMost, n = 4, 11
	testenv.EachWith(t, testenv.Options{ListReadAtMost: readAtMost}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		buyer := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "walk@example.com"}))(t)
		var oldest string
		amount := int64(700)
		for i := range n {
			vendor := "ven_common"
			if i == 0 {
				vendor = "ven_rare"
			}
			o := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: buyer.ID, VendorID: vendor, Currency: "USD",
				Items: []app.ItemParams{{Description: "walk", Amount: &amount, Quantity: 1}}}))(t)
			if i == 0 {
				oldest = o.Order.ID
			}
			e.Clock.Advance(time.Millisecond)
		}
		followBound(t, c, "/v1/orders?limit=2&vendor_id=ven_rare&customer_id="+buyer.ID, oldest, n, readAtMost)
		followBound(t, c, "/v1/orders?per_page=2&page=2&vendor_id=ven_rare&customer_id="+buyer.ID, oldest, n, readAtMost)
		deepPage(t, c, "/v1/orders?per_page=2&page=50")
	})
}

// TestCustomerListReadBound: an external id, checked on the customers of an email's index,
// matching only the oldest of eleven customers, with the server reading at most four rows a
// list, answers pages that stopped at the bound, and following the cursors finds the one match
// exactly once; so does the older page style, and a page that starts past the bound stops at it.
func TestCustomerListReadBound(t *testing.T) {
	t.Parallel()
	const readAtMost, n = 4, 11
	testenv.EachWith(t, testenv.Options{ListReadAtMost: readAtMost}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		var oldest string
		for i := range n {
			external := fmt.Sprintf("crm-%02d", i)
			if i == 0 {
				external = "crm-rare"
			}
			cus := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "walk@example.com", ExternalID: external}))(t)
			if i == 0 {
				oldest = cus.ID
			}
			e.Clock.Advance(time.Millisecond)
		}
		followBound(t, c, "/v1/customers?limit=2&external_id=crm-rare&email="+url.QueryEscape("walk@example.com"), oldest, n, readAtMost)
		followBound(t, c, "/v1/customers?per_page=2&page=2&external_id=crm-rare&email="+url.QueryEscape("walk@example.com"), oldest, n, readAtMost)
		deepPage(t, c, "/v1/customers?per_page=2&page=50")
	})
}

// TestEventListReadBound: a type, checked on the events of an order's index, matching only the
// oldest of eleven events, with the server reading at most four rows a list, answers pages that
// stopped at the bound, and following the cursors finds the one match exactly once; so does the
// older page style, and a page that starts past the bound stops at it.
func TestEventListReadBound(t *testing.T) {
	t.Parallel()
	const readAtMost, n = 4, 11
	testenv.EachWith(t, testenv.Options{ListReadAtMost: readAtMost}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		for i := range n {
			typ := "order.updated"
			if i == 0 {
				typ = "order.voided"
			}
			ev := store.Event{ID: fmt.Sprintf("evt_walk_%02d", i), Type: typ, OrderID: "ord_walk", Data: []byte(`{}`), CreatedAt: e.Clock.Now()}
			if err := e.Store.Tx(e.Ctx, func(tx store.Tx) error { return tx.InsertEvent(e.Ctx, ev) }); err != nil {
				t.Fatal(err)
			}
			e.Clock.Advance(time.Millisecond)
		}
		followBound(t, c, "/v1/events?limit=2&order_id=ord_walk&type=order.voided", "evt_walk_00", n, readAtMost)
		followBound(t, c, "/v1/events?per_page=2&page=2&order_id=ord_walk&type=order.voided", "evt_walk_00", n, readAtMost)
		deepPage(t, c, "/v1/events?per_page=2&page=50")
	})
}

// TestOffsetListsRefuseDeepPages: the lists still read by offset (the block list, the exchange
// rates, an endpoint's deliveries, the API keys, a dispute's evidence, a line's activity, a
// provider's imports), with the server reading at most four rows a list, answer a page that
// starts within the bound and refuse one that starts past it, 422 invalid_value naming page and
// pointing to the cursors, which go on as deep as any.
func TestOffsetListsRefuseDeepPages(t *testing.T) {
	t.Parallel()
	const readAtMost = 4
	testenv.EachWith(t, testenv.Options{ListReadAtMost: readAtMost}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		hook, events := "https://hooks.example/walk", []string{"*"}
		ep := testenv.Must(e.Webhooks.CreateEndpoint(e.Ctx, testenv.Admin, webhook.EndpointParams{URL: &hook, Events: &events}))(t)
		// A cursor (milliseconds.id, as the API writes one) after which the pages go on, at any depth.
		cursor := base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d.zz", e.Clock.Now().Add(time.Hour).UnixMilli()))
		sale := e.ManualSale("vm-walk")
		disputed := e.Dispute(sale, "chargeback")
		e.StripeProvider("", "")
		for _, path := range []string{"/v1/blocklist", "/v1/exchange_rates", "/v1/webhook_endpoints/" + ep.ID + "/deliveries", "/v1/api_keys",
			"/v1/disputes/" + disputed.ID + "/evidence", "/v1/lines/" + sale.Lines[0].ID + "/activity", "/v1/providers/stripe/imports"} {
			testenv.Want[httpapi.List[paged]](t, c.Get(path+"?per_page=2&page=2"), 200)
			refused := testenv.WantError(t, c.Get(path+"?per_page=2&page=3"), 422, "invalid_value", "page")
			if want := "the page starts past the 4th row; narrow the list with its filters, or read on with next_cursor rather than page numbers"; !strings.Contains(refused.Message, want) {
				t.Errorf("%s?page=3: %q, want %q", path, refused.Message, want)
			}
			testenv.Want[httpapi.List[paged]](t, c.Get(path+"?limit=2&cursor="+cursor), 200)
		}
	})
}

// deepPage reads the page at path, which starts past the bound of rows a list reads, and checks
// that it stopped at the bound with no row and a cursor that goes on: the rows it skips count in
// the bound, and it read no further than it.
func deepPage(t *testing.T, c *testenv.Client, path string) {
	t.Helper()
	l := testenv.Want[struct {
		httpapi.List[paged]
		ReadBoundReached bool `json:"read_bound_reached"`
	}](t, c.Get(path), 200)
	if !l.ReadBoundReached || !l.HasMore || l.NextCursor == nil || len(l.Data) != 0 {
		t.Errorf("%s: read_bound_reached %v, has_more %v, next_cursor %v, %d rows; want it stopped at the bound, empty, with a cursor",
			path, l.ReadBoundReached, l.HasMore, l.NextCursor, len(l.Data))
	}
}

// followBound follows the cursors of the list at path, whose one match is want among n rows
// with the server reading at most readAtMost a list: every page that stopped at the bound has
// a way on, following them finds want once, and at least n/readAtMost pages stopped.
func followBound(t *testing.T, c *testenv.Client, path, want string, n, readAtMost int) {
	t.Helper()
	var found []string
	stopped := 0
	cursor := ""
	for page := 0; ; page++ {
		if page > n {
			t.Fatalf("more than %d pages: the cursor does not move on (found %v)", n, found)
		}
		q := path
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		l := testenv.Want[struct {
			httpapi.List[paged]
			ReadBoundReached bool `json:"read_bound_reached"`
		}](t, c.Get(q), 200)
		for _, d := range l.Data {
			found = append(found, d.ID)
		}
		if l.ReadBoundReached {
			stopped++
			if !l.HasMore || l.NextCursor == nil {
				t.Fatalf("page %d stopped at the bound without a way on: has_more %v, next_cursor %v", page, l.HasMore, l.NextCursor)
			}
		}
		if !l.HasMore {
			break
		}
		cursor = *l.NextCursor
	}
	if !slices.Equal(found, []string{want}) {
		t.Errorf("following the cursors of %s found %v, want the oldest row %s once", path, found, want)
	}
	if stopped < n/readAtMost {
		t.Errorf("%d pages stopped at the bound of %d among %d rows, want at least %d", stopped, readAtMost, n, n/readAtMost)
	}
}
