package httpapi_test

import (
	"net/url"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestListCustomers checks GET /v1/customers: its filters, its pages, and that a buyer's key
// lists only its own customer and a vendor's none, as when they ask for one by id.
func TestListCustomers(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		before := e.Clock.Now().Add(-time.Second)
		customer := func(p app.CustomerParams) string {
			t.Helper()
			e.Clock.Advance(time.Millisecond) // each a moment after the last, as in a running server
			return testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, p))(t).ID
		}
		A := customer(app.CustomerParams{Email: "ada@example.com", Name: "Ada", ExternalID: "crm-1"})
		B := customer(app.CustomerParams{Email: "bob@example.com", Name: "Bob", ExternalID: "crm-2"})
		A2 := customer(app.CustomerParams{Email: "ada@example.com", Name: "Ada again"})

		all := testenv.Want[httpapi.List[httpapi.Customer]](t, c.Get("/v1/customers"), 200).Data
		if len(all) != 3 || all[0].ID != A2 || all[2].ID != A {
			t.Errorf("customers newest first = %+v, want [%s %s %s]", all, A2, B, A)
		} else if wireString(all[0].Email) != "ada@example.com" || wireString(all[0].Name) != "Ada again" {
			t.Errorf("a listedObject customer: %+v", all[0])
		}
		wantListedSet(t, "email", c.Get("/v1/customers?email=ada%40example.com"), A, A2)
		wantListedSet(t, "external_id", c.Get("/v1/customers?external_id=crm-2"), B)
		wantListedSet(t, "created_from", c.Get("/v1/customers?created_from="+url.QueryEscape(before.Format(time.RFC3339Nano))), A, B, A2)
		wantListedSet(t, "created_before", c.Get("/v1/customers?created_before="+url.QueryEscape(before.Format(time.RFC3339Nano))))
		testenv.WantError(t, c.Get("/v1/customers?created_from=2030-01-01T00:00:00Z&created_before=2029-01-01T00:00:00Z"), 422, "invalid_value")
		testenv.WantError(t, c.Get("/v1/customers?mail=ada%40example.com"), 400, "unknown_parameter")

		// Pages: two, then one with no more.
		p1 := testenv.Want[httpapi.List[listedObject]](t, c.Get("/v1/customers?limit=2"), 200)
		if len(p1.Data) != 2 || !p1.HasMore || p1.NextCursor == nil {
			t.Fatalf("first page: %+v", p1)
		}
		p2 := testenv.Want[httpapi.List[listedObject]](t, c.Get("/v1/customers?limit=2&cursor="+*p1.NextCursor), 200)
		if len(p2.Data) != 1 || p2.Data[0].ID != A || p2.HasMore {
			t.Errorf("second page: %+v", p2)
		}

		buyer := c.As(e.NewKey(actor.Buyer, B))
		wantListedSet(t, "a buyer's key", buyer.Get("/v1/customers"), B)
		wantListedSet(t, "a buyer's key asking for another's email", buyer.Get("/v1/customers?email=ada%40example.com"))
		wantListedSet(t, "a vendor's key", c.As(e.NewKey(actor.Vendor, A)).Get("/v1/customers"))
	})
}

// TestListTransactions checks GET /v1/transactions: each filter, the money and refunds of a
// listedObject charge, and that a party's key lists only its own.
func TestListTransactions(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		sa := e.Sale(testenv.SaleParams{Amount: 1000, Currency: "USD"})
		e.Clock.Advance(time.Millisecond)
		sb := e.Sale(testenv.SaleParams{Amount: 2500, Currency: "EUR"})
		cusA, ordA, chA := sa.Customer.ID, sa.Order.ID, sa.Charge.ID
		cusB, ordB, chB := sb.Customer.ID, sb.Order.ID, sb.Charge.ID
		e.Clock.Advance(time.Millisecond)
		three, seven := int64(300), int64(700)
		R := testenv.Must(e.App.Refund(e.Ctx, testenv.Admin, chA, app.RefundParams{Money: app.Money{Amount: &three}}))(t).ID
		e.Clock.Advance(time.Millisecond)
		P := testenv.Must(e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "charge",
			Money: app.Money{Amount: &seven, Currency: "eur"}, OrderID: ordB, Provider: "paypal", ProviderReference: "PAY-42"}))(t).Transaction.ID

		if got := listedIDs(t, c.Get("/v1/transactions")); len(got) != 4 || got[0] != P {
			t.Errorf("transactions newest first = %v", got)
		}
		wantListedSet(t, "order_id", c.Get("/v1/transactions?order_id="+ordA), chA, R)
		wantListedSet(t, "customer_id", c.Get("/v1/transactions?customer_id="+cusB), chB, P)
		wantListedSet(t, "type", c.Get("/v1/transactions?type=refund"), R)
		wantListedSet(t, "provider", c.Get("/v1/transactions?provider=paypal"), P)
		wantListedSet(t, "provider_reference", c.Get("/v1/transactions?provider_reference=ch_"+ordA), chA)
		wantListedSet(t, "customer and type", c.Get("/v1/transactions?customer_id="+cusA+"&type=charge"), chA)
		wantListedSet(t, "created_before the first", c.Get("/v1/transactions?created_before=2000-01-01T00:00:00Z"))
		testenv.WantStatus(t, c.Get("/v1/transactions?type=gift"), 422)
		testenv.WantError(t, c.Get("/v1/transactions?kind=refund"), 400, "unknown_parameter")

		charge := testenv.Want[httpapi.List[httpapi.Transaction]](t, c.Get("/v1/transactions?order_id="+ordA+"&type=charge"), 200).Data
		if len(charge) != 1 || charge[0].Amount != 1000 || charge[0].AmountRefunded != 300 {
			t.Fatalf("the listedObject charge: %+v", charge)
		}
		if len(charge[0].Refunds) != 1 {
			t.Errorf("the listedObject charge's refunds: %+v", charge[0].Refunds)
		}

		buyer := c.As(e.NewKey(actor.Buyer, cusA))
		wantListedSet(t, "a buyer's key", buyer.Get("/v1/transactions"), chA, R)
		wantListedSet(t, "a buyer's key asking for another's", buyer.Get("/v1/transactions?customer_id="+cusB))
		wantListedSet(t, "a vendor's key of no order", c.As(e.NewKey(actor.Vendor, "ven_none")).Get("/v1/transactions"))
	})
}
