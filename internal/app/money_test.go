package app_test

import (
	"sync"
	"testing"

	"disputed/internal/app"
	"disputed/internal/fault"
	"disputed/internal/money"
	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// wantDecimal fails the test unless minor reads as want in cur, as amount_decimal shows it.
func wantDecimal(t *testing.T, what string, minor int64, cur, want string) {
	t.Helper()
	if got, err := money.FormatDecimal(minor, cur); err != nil || got != want {
		t.Errorf("%s: %d %s reads %q (%v), want %q", what, minor, cur, got, err, want)
	}
}

// TestCurrencyExponents round-trips amounts in currencies with 3 (KWD), 0 (JPY) and 2 (USD)
// decimals through decimal amounts, on orders, transactions, refunds and disputes.
func TestCurrencyExponents(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		for _, c := range []struct {
			cur, upper, in, out string
			minor               int64
			tooPrecise          string
			refund              string
			refundMinor         int64
		}{
			{"kwd", "KWD", "12.345", "12.345", 12345, "1.2345", "0.005", 5},
			{"jpy", "JPY", "1500", "1500", 1500, "1500.5", "7", 7},
			{"usd", "USD", "12.3", "12.30", 1230, "0.001", "0.07", 7},
			{"bhd", "BHD", "0.5", "0.500", 500, "0.0001", "0.001", 1},
		} {
			t.Run(c.cur, func(t *testing.T) {
				cus := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "m@example.com"}))(t)
				o := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: cus.ID, Currency: c.cur,
					Items: []app.ItemParams{{Description: "x", AmountDecimal: ptr(c.in)}}}))(t)
				if o.Order.Total != c.minor {
					t.Errorf("order: %d, want %d", o.Order.Total, c.minor)
				}
				wantDecimal(t, "order", o.Order.Total, o.Order.Currency, c.out)
				testenv.Must(e.App.CompleteOrder(e.Ctx, testenv.Admin, o.Order.ID))(t)
				ch := testenv.Must(e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "charge", OrderID: o.Order.ID,
					Money: app.Money{AmountDecimal: ptr(c.in), Currency: c.cur}}))(t).Transaction
				if ch.Amount != c.minor || ch.Currency != c.upper {
					t.Errorf("charge: %+v", ch)
				}
				wantDecimal(t, "charge", ch.Amount, ch.Currency, c.out)
				got := testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, ch.ID))(t).Transaction
				if got.Amount != c.minor {
					t.Errorf("charge read back: %+v", got)
				}
				wantDecimal(t, "charge read back", got.Amount, got.Currency, c.out)
				_, err := e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "charge", OrderID: o.Order.ID,
					Money: app.Money{AmountDecimal: ptr(c.tooPrecise), Currency: c.cur}})
				testenv.WantFault(t, err, fault.Invalid, fault.CodeInvalidAmount)
				r := testenv.Must(e.App.Refund(e.Ctx, testenv.Admin, ch.ID, app.RefundParams{Money: app.Money{AmountDecimal: ptr(c.refund)}}))(t)
				if r.Amount != c.refundMinor || r.Currency != c.upper {
					t.Errorf("refund: %+v", r)
				}
				after := testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, ch.ID))(t).Transaction
				if after.AmountRefunded != c.refundMinor {
					t.Errorf("charge after the refund: %+v", after)
				}
				if _, err := money.FormatDecimal(after.AmountRefunded, after.Currency); err != nil {
					t.Errorf("the refunded amount has no decimal form: %v", err)
				}
				d := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "chargeback", TransactionID: ch.ID,
					Money: app.Money{AmountDecimal: ptr(c.in)}}))(t)
				if d.Amount != c.minor || d.Currency != c.upper {
					t.Errorf("dispute: %+v", d)
				}
				wantDecimal(t, "dispute", d.Amount, d.Currency, c.out)
				rd := testenv.Must(e.App.Dispute(e.Ctx, testenv.Admin, d.ID))(t)
				wantDecimal(t, "dispute read back", rd.Amount, rd.Currency, c.out)
				_, err = e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "alert", AlertType: "ethoca",
					Money: app.Money{AmountDecimal: ptr(c.tooPrecise), Currency: c.cur}})
				testenv.WantFault(t, err, fault.Invalid, fault.CodeInvalidAmount)
			})
		}
		// A dispute's currency must be its charge's.
		usd := e.Sale(testenv.SaleParams{Amount: 1000}).Charge.ID
		_, err := e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "chargeback", TransactionID: usd,
			Money: app.Money{Amount: ptr(int64(100)), Currency: "eur"}})
		testenv.WantFault(t, err, fault.Invalid, fault.CodeCurrencyMismatch)
		_, err = e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "chargeback", TransactionID: usd,
			Money: app.Money{Amount: ptr(int64(1001))}})
		testenv.WantFault(t, err, fault.Invalid, fault.CodeInvalidAmount)
		_, err = e.App.Refund(e.Ctx, testenv.Admin, usd, app.RefundParams{Money: app.Money{Amount: ptr(int64(100)), Currency: "eur"}})
		testenv.WantFault(t, err, fault.Invalid, fault.CodeCurrencyMismatch)
	})
}

// TestRefundLimits: refunds never exceed the charge, one at a time or all at once.
func TestRefundLimits(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		s := e.Sale(testenv.SaleParams{Amount: 1000})
		ord, charge := s.Order.ID, s.Charge.ID
		status := func() order.Status { return testenv.Must(e.App.Order(e.Ctx, testenv.Admin, ord))(t).Order.Status }
		_, err := e.App.Refund(e.Ctx, testenv.Admin, charge, app.RefundParams{Money: app.Money{Amount: ptr(int64(0))}})
		testenv.WantFault(t, err, fault.Invalid, fault.CodeInvalidAmount)
		testenv.Must(e.App.Refund(e.Ctx, testenv.Admin, charge, app.RefundParams{Money: app.Money{Amount: ptr(int64(600))}}))(t)
		if st := status(); st != order.PartiallyRefunded {
			t.Errorf("order %s after a partial refund", st)
		}
		_, err = e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "refund", ParentID: charge, Money: app.Money{Amount: ptr(int64(401))}})
		testenv.WantFault(t, err, fault.Invalid, fault.CodeAmountTooLarge)
		rest := testenv.Must(e.App.Refund(e.Ctx, testenv.Admin, charge, app.RefundParams{}))(t) // no amount: all that is left
		if rest.Amount != 400 || rest.ParentID != charge || rest.Kind != order.Refund || rest.OrderID != ord {
			t.Errorf("refund of the rest: %+v", rest)
		}
		if st := status(); st != order.Refunded {
			t.Errorf("order %s after refunding everything", st)
		}
		_, err = e.App.Refund(e.Ctx, testenv.Admin, charge, app.RefundParams{Money: app.Money{Amount: ptr(int64(1))}})
		testenv.WantFault(t, err, fault.Invalid, fault.CodeAmountTooLarge)
		ch := testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, charge))(t)
		if ch.Transaction.AmountRefunded != 1000 || len(ch.Refunds) != 2 {
			t.Errorf("charge: %+v, %d refunds", ch.Transaction, len(ch.Refunds))
		}
		if n := len(e.EventTypes(store.EventFilter{Type: "refund.created", OrderID: ord})); n != 2 {
			t.Errorf("%d refund.created events, want 2", n)
		}
		// Only charges and captures are refundable.
		_, err = e.App.Refund(e.Ctx, testenv.Admin, rest.ID, app.RefundParams{Money: app.Money{Amount: ptr(int64(1))}})
		testenv.WantFault(t, err, fault.Invalid, "")
		_, err = e.App.Refund(e.Ctx, testenv.Admin, "txn_nope", app.RefundParams{Money: app.Money{Amount: ptr(int64(1))}})
		testenv.WantFault(t, err, fault.NotFound, fault.CodeNotFound)
	})
}

// TestConcurrentRefunds makes 20 refunds of 100 on a charge of 1000 at once: exactly 10 succeed.
func TestConcurrentRefunds(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		s := e.Sale(testenv.SaleParams{Amount: 1000})
		const n = 20
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				_, errs[i] = e.App.Refund(e.Ctx, testenv.Admin, s.Charge.ID, app.RefundParams{Money: app.Money{Amount: ptr(int64(100))}})
			})
		}
		close(start)
		wg.Wait()
		ok, tooLarge := 0, 0
		for i, err := range errs {
			fe, _ := fault.As(err)
			switch {
			case err == nil:
				ok++
			case fe != nil && fe.Kind == fault.Invalid && fe.Code == fault.CodeAmountTooLarge:
				tooLarge++
			default:
				t.Errorf("refund %d: %v", i, err)
			}
		}
		if ok != 10 || tooLarge != 10 {
			t.Errorf("%d refunds succeeded and %d were too large, want 10 and 10", ok, tooLarge)
		}
		ch := testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, s.Charge.ID))(t)
		if ch.Transaction.AmountRefunded != 1000 || len(ch.Refunds) != 10 {
			t.Errorf("charge after concurrent refunds: amount refunded %d, %d refunds", ch.Transaction.AmountRefunded, len(ch.Refunds))
		}
		if st := testenv.Must(e.App.Order(e.Ctx, testenv.Admin, s.Order.ID))(t).Order.Status; st != order.Refunded {
			t.Errorf("order %s", st)
		}
		if n := len(e.EventTypes(store.EventFilter{Type: "refund.created", OrderID: s.Order.ID, Page: store.Page{Limit: 100}})); n != 10 {
			t.Errorf("%d refund.created events, want 10", n)
		}
	})
}
