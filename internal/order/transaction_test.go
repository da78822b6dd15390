package order

import (
	"fmt"
	"strings"
	"testing"

	"disputed/internal/fault"
)

func TestParseKind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Kind
		code string
	}{
		{"authorization", Authorization, ""}, {"capture", Capture, ""}, {"charge", Charge, ""},
		{"refund", Refund, ""}, {"void", Void, ""},
		{"chargeback", "", "invalid_value"}, {"chargeback_reversal", "", "invalid_value"},
		{"", "", "parameter_missing"}, {"Charge", "", "invalid_value"}, {"payout", "", "invalid_value"},
	}
	for _, tt := range tests {
		got, err := ParseKind(tt.in)
		if got != tt.want {
			t.Errorf("ParseKind(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if tt.code == "" {
			if err != nil {
				t.Errorf("ParseKind(%q): %v", tt.in, err)
			}
			continue
		}
		fe := wantFault(t, err, fault.Invalid, tt.code, "type")
		if strings.HasPrefix(tt.in, "chargeback") && !strings.Contains(fe.Message, "disputes") {
			t.Errorf("ParseKind(%q) message %q does not say disputes record it", tt.in, fe.Message)
		}
	}
}

func TestCapturesRefundable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tx         Transaction
		captures   bool
		refundable int64
	}{
		{Transaction{Kind: Charge, Amount: 10000}, true, 10000},
		{Transaction{Kind: Capture, Amount: 4000, AmountRefunded: 1000}, true, 3000},
		{Transaction{Kind: Charge, Amount: 10000, AmountRefunded: 2000, AmountWithdrawn: 3000}, true, 5000},
		{Transaction{Kind: Charge, Amount: 10000, AmountWithdrawn: 10000}, true, 0},
		{Transaction{Kind: Authorization, Amount: 10000}, false, 0},
		{Transaction{Kind: Refund, Amount: 10000}, false, 0},
		{Transaction{Kind: Void, Amount: 10000}, false, 0},
		{Transaction{Kind: Chargeback, Amount: 10000}, false, 0},
		{Transaction{Kind: ChargebackReversal, Amount: 10000}, false, 0},
	}
	for _, tt := range tests {
		if tt.tx.Captures() != tt.captures || tt.tx.Refundable() != tt.refundable {
			t.Errorf("%s %+v: Captures %v Refundable %d; want %v %d", tt.tx.Kind, tt.tx, tt.tx.Captures(), tt.tx.Refundable(), tt.captures, tt.refundable)
		}
	}
}

// parentOf returns a fresh parent transaction of kind k (nil for "none"), 10000 USD on ord_1.
func parentOf(k Kind) *Transaction {
	if k == "" {
		return nil
	}
	return &Transaction{ID: "txn_" + string(k), Kind: k, Amount: 10000, Currency: "USD", OrderID: "ord_1",
		CustomerID: "cus_1", VendorID: "ven_1", Provider: "stripe"}
}

// TestNewTransactionMatrix tries every kind against every kind of parent.
func TestNewTransactionMatrix(t *testing.T) {
	t.Parallel()
	kinds := []Kind{Authorization, Capture, Charge, Refund, Void, Chargeback, ChargebackReversal, "", "payout"}
	parents := []Kind{"", Authorization, Charge, Capture, Refund}
	// allowed[kind] lists the parents (by hand, from states.md) a transaction of that kind may have.
	allowed := map[Kind][]Kind{
		Authorization: {""},
		Charge:        {""},
		Capture:       {Authorization},
		Void:          {Authorization},
		Refund:        {Charge, Capture},
	}
	for _, k := range kinds {
		for _, pk := range parents {
			name := fmt.Sprintf("%s/parent=%s", k, pk)
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				o, _ := fixture(t, Completed)
				parent := parentOf(pk)
				var before Transaction
				if parent != nil {
					before = *parent
				}
				amount := int64(1000)
				if k == Void {
					amount = 0 // the whole authorization
				}
				got, err := NewTransaction(Transaction{ID: "txn_new", Kind: k, Amount: amount, Currency: "USD", Reason: " why "}, parent, o)
				ok := false
				for _, p := range allowed[k] {
					ok = ok || p == pk
				}
				if !ok {
					param := "parent_id"
					if _, known := allowed[k]; !known {
						param = "type"
					}
					wantFault(t, err, fault.Invalid, "invalid_value", param)
					if parent != nil && *parent != before {
						t.Errorf("a refused transaction changed its parent: %+v", *parent)
					}
					return
				}
				if err != nil {
					t.Fatalf("NewTransaction: %v", err)
				}
				if got.Kind != k || got.ID != "txn_new" || got.Currency != "USD" || got.Reason != "why" {
					t.Errorf("transaction %+v", got)
				}
				if got.OrderID != "ord_1" || got.CustomerID != "cus_1" || got.VendorID != "ven_1" {
					t.Errorf("order fields %q %q %q", got.OrderID, got.CustomerID, got.VendorID)
				}
				wantParent := before
				switch k {
				case Authorization, Charge:
					if got.ParentID != "" || got.Amount != 1000 {
						t.Errorf("parent %q amount %d", got.ParentID, got.Amount)
					}
					return
				case Capture:
					wantParent.AmountCaptured = 1000
				case Void:
					wantParent.Voided = true
				case Refund:
					wantParent.AmountRefunded = 1000
				}
				wantAmount := int64(1000)
				if k == Void {
					wantAmount = 10000
				}
				if got.ParentID != parent.ID || got.Amount != wantAmount || got.Provider != "stripe" {
					t.Errorf("parent_id %q amount %d provider %q; want %q %d stripe", got.ParentID, got.Amount, got.Provider, parent.ID, wantAmount)
				}
				if *parent != wantParent {
					t.Errorf("parent after %s: %+v, want %+v", k, *parent, wantParent)
				}
			})
		}
	}
}

func TestNewTransactionRules(t *testing.T) {
	t.Parallel()
	auth := func(mod func(a *Transaction)) func() *Transaction {
		return func() *Transaction {
			a := parentOf(Authorization)
			if mod != nil {
				mod(a)
			}
			return a
		}
	}
	chg := func(refunded, withdrawn int64) func() *Transaction {
		return func() *Transaction {
			c := parentOf(Charge)
			c.AmountRefunded, c.AmountWithdrawn = refunded, withdrawn
			return c
		}
	}
	none := func() *Transaction { return nil }
	tx := func(k Kind, amount int64) Transaction { return Transaction{Kind: k, Amount: amount, Currency: "USD"} }
	tests := []struct {
		name   string
		t      Transaction
		parent func() *Transaction
		order  Status // "" for no order
		kind   fault.Kind
		code   string // "" when accepted
		param  string
		check  func(t *testing.T, got Transaction, parent *Transaction)
	}{
		{name: "charge", t: tx(Charge, 1), parent: none, order: Completed},
		{name: "charge without order", t: tx(Charge, 1), parent: none},
		{name: "charge of zero", t: tx(Charge, 0), parent: none, kind: fault.Invalid, code: "invalid_amount", param: "amount"},
		{name: "negative authorization", t: tx(Authorization, -1), parent: none, kind: fault.Invalid, code: "invalid_amount", param: "amount"},
		{name: "external charge", t: Transaction{Kind: Charge, Amount: 1, Currency: "USD", External: true}, parent: none,
			kind: fault.Invalid, code: "invalid_value", param: "is_external"},
		{name: "charge in another currency than the order", t: Transaction{Kind: Charge, Amount: 1, Currency: "EUR"}, parent: none, order: Completed,
			kind: fault.Invalid, code: "currency_mismatch", param: "currency"},
		{name: "reason too long", t: Transaction{Kind: Charge, Amount: 1, Currency: "USD", Reason: strings.Repeat("r", 501)}, parent: none,
			kind: fault.Invalid, code: "invalid_value", param: "reason"},
		{name: "voided order", t: tx(Charge, 1), parent: none, order: Voided, kind: fault.Conflict, code: "invalid_state", param: "status"},
		{name: "refund on voided order", t: tx(Refund, 1), parent: chg(0, 0), order: Voided, kind: fault.Conflict, code: "invalid_state", param: "status"},
		{name: "charge on pending order", t: tx(Charge, 1), parent: none, order: Pending},
		{name: "refund on refunded order", t: tx(Refund, 1), parent: chg(0, 0), order: Refunded},

		// Captures.
		{name: "partial captures up to the limit", t: tx(Capture, 6000), parent: auth(func(a *Transaction) { a.AmountCaptured = 4000 }),
			check: func(t *testing.T, got Transaction, p *Transaction) {
				if p.AmountCaptured != 10000 || got.Amount != 6000 {
					t.Errorf("captured %d amount %d", p.AmountCaptured, got.Amount)
				}
			}},
		{name: "capture beyond the authorization", t: tx(Capture, 6001), parent: auth(func(a *Transaction) { a.AmountCaptured = 4000 }),
			kind: fault.Invalid, code: "amount_too_large", param: "amount"},
		{name: "capture of a fully captured authorization", t: tx(Capture, 1), parent: auth(func(a *Transaction) { a.AmountCaptured = 10000 }),
			kind: fault.Invalid, code: "amount_too_large", param: "amount"},
		{name: "capture of zero", t: tx(Capture, 0), parent: auth(nil), kind: fault.Invalid, code: "invalid_amount", param: "amount"},
		{name: "negative capture", t: tx(Capture, -5), parent: auth(nil), kind: fault.Invalid, code: "invalid_amount", param: "amount"},
		{name: "capture of a voided authorization", t: tx(Capture, 1), parent: auth(func(a *Transaction) { a.Voided = true }),
			kind: fault.Conflict, code: "invalid_state", param: "status"},
		{name: "capture in another currency", t: Transaction{Kind: Capture, Amount: 1, Currency: "EUR"}, parent: auth(nil),
			kind: fault.Invalid, code: "currency_mismatch", param: "currency"},
		{name: "external capture", t: Transaction{Kind: Capture, Amount: 1, Currency: "USD", External: true}, parent: auth(nil),
			kind: fault.Invalid, code: "invalid_value", param: "is_external"},

		// Voids.
		{name: "void of the whole amount", t: tx(Void, 10000), parent: auth(nil),
			check: func(t *testing.T, got Transaction, p *Transaction) {
				if !p.Voided || got.Amount != 10000 {
					t.Errorf("voided %v amount %d", p.Voided, got.Amount)
				}
			}},
		{name: "partial void", t: tx(Void, 9999), parent: auth(nil), kind: fault.Invalid, code: "invalid_amount", param: "amount"},
		{name: "void of more", t: tx(Void, 10001), parent: auth(nil), kind: fault.Invalid, code: "invalid_amount", param: "amount"},
		{name: "negative void", t: tx(Void, -10000), parent: auth(nil), kind: fault.Invalid, code: "invalid_amount", param: "amount"},
		{name: "void after a capture", t: tx(Void, 0), parent: auth(func(a *Transaction) { a.AmountCaptured = 1 }),
			kind: fault.Conflict, code: "invalid_state", param: "status"},
		{name: "void twice", t: tx(Void, 0), parent: auth(func(a *Transaction) { a.Voided = true }),
			kind: fault.Conflict, code: "invalid_state", param: "status"},
		{name: "void in another currency", t: Transaction{Kind: Void, Currency: "EUR"}, parent: auth(nil),
			kind: fault.Invalid, code: "currency_mismatch", param: "currency"},

		// Refunds.
		{name: "refund of everything", t: tx(Refund, 10000), parent: chg(0, 0)},
		{name: "refund beyond the charge", t: tx(Refund, 10001), parent: chg(0, 0), kind: fault.Invalid, code: "amount_too_large", param: "amount"},
		{name: "refund of the rest", t: tx(Refund, 2000), parent: chg(5000, 3000),
			check: func(t *testing.T, got Transaction, p *Transaction) {
				if p.AmountRefunded != 7000 || p.Refundable() != 0 {
					t.Errorf("refunded %d refundable %d", p.AmountRefunded, p.Refundable())
				}
			}},
		{name: "refund beyond what withdrawals left", t: tx(Refund, 2001), parent: chg(5000, 3000),
			kind: fault.Invalid, code: "amount_too_large", param: "amount"},
		{name: "refund of a charge taken back whole", t: tx(Refund, 1), parent: chg(0, 10000),
			kind: fault.Invalid, code: "amount_too_large", param: "amount"},
		{name: "refund of zero", t: tx(Refund, 0), parent: chg(0, 0), kind: fault.Invalid, code: "invalid_amount", param: "amount"},
		{name: "negative refund", t: tx(Refund, -1), parent: chg(0, 0), kind: fault.Invalid, code: "invalid_amount", param: "amount"},
		{name: "refund in another currency", t: Transaction{Kind: Refund, Amount: 1, Currency: "EUR"}, parent: chg(0, 0),
			kind: fault.Invalid, code: "currency_mismatch", param: "currency"},
		{name: "external refund", t: Transaction{Kind: Refund, Amount: 1, Currency: "USD", External: true}, parent: chg(0, 0),
			check: func(t *testing.T, got Transaction, _ *Transaction) {
				if !got.External {
					t.Error("the refund lost is_external")
				}
			}},
		{name: "refund keeps its own provider", t: Transaction{Kind: Refund, Amount: 1, Currency: "USD", Provider: "adyen"}, parent: chg(0, 0),
			check: func(t *testing.T, got Transaction, _ *Transaction) {
				if got.Provider != "adyen" {
					t.Errorf("provider %q", got.Provider)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var o *Order
			if tt.order != "" {
				o, _ = fixture(t, tt.order)
			}
			parent := tt.parent()
			var before Transaction
			if parent != nil {
				before = *parent
			}
			got, err := NewTransaction(tt.t, parent, o)
			if tt.code != "" {
				wantFault(t, err, tt.kind, tt.code, tt.param)
				if got != (Transaction{}) {
					t.Errorf("a refused transaction was returned: %+v", got)
				}
				if parent != nil && *parent != before {
					t.Errorf("a refused transaction changed its parent: %+v", *parent)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewTransaction: %v", err)
			}
			if tt.check != nil {
				tt.check(t, got, parent)
			}
		})
	}
}

func TestRefundOf(t *testing.T) {
	t.Parallel()
	c := parentOf(Charge)
	r, err := RefundOf(c, Transaction{ID: "re_1", Kind: Charge, Amount: 300, ParentID: "elsewhere"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Kind != Refund || r.ParentID != c.ID || r.Currency != "USD" || r.OrderID != "ord_1" || r.CustomerID != "cus_1" || r.Provider != "stripe" {
		t.Errorf("refund %+v", r)
	}
	if c.AmountRefunded != 300 || c.Refundable() != 9700 {
		t.Errorf("charge refunded %d refundable %d", c.AmountRefunded, c.Refundable())
	}
	// An authorization has nothing to refund.
	a := parentOf(Authorization)
	if _, err := RefundOf(a, Transaction{Amount: 1}); fault.Code(err) != "amount_too_large" || a.AmountRefunded != 0 {
		t.Errorf("refund of an authorization: %v, refunded %d", err, a.AmountRefunded)
	}
}

func TestWithdrawalOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                string
		kind                Kind
		refunded, withdrawn int64
		amount              int64
		ok                  bool
		want, wantWithdrawn int64
	}{
		{"whole", Charge, 0, 0, 10000, true, 10000, 10000},
		{"part", Charge, 0, 0, 2500, true, 2500, 2500},
		{"capped by refunds", Charge, 8000, 0, 5000, true, 2000, 2000},
		{"capped by earlier withdrawals", Charge, 1000, 6000, 5000, true, 3000, 9000},
		{"of a capture", Capture, 0, 0, 500, true, 500, 500},
		{"nothing left", Charge, 4000, 6000, 1, false, 0, 6000},
		{"zero", Charge, 0, 0, 0, false, 0, 0},
		{"negative", Charge, 0, 0, -1, false, 0, 0},
		{"of an authorization", Authorization, 0, 0, 500, false, 0, 0},
		{"of a refund", Refund, 0, 0, 500, false, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := parentOf(tt.kind)
			c.AmountRefunded, c.AmountWithdrawn = tt.refunded, tt.withdrawn
			got, ok := WithdrawalOf(c, Transaction{ID: "cb_1", DisputeID: "dsp_1", Amount: tt.amount, Currency: "EUR"})
			if ok != tt.ok || c.AmountWithdrawn != tt.wantWithdrawn || c.AmountRefunded != tt.refunded {
				t.Fatalf("ok %v withdrawn %d refunded %d; want %v %d %d", ok, c.AmountWithdrawn, c.AmountRefunded, tt.ok, tt.wantWithdrawn, tt.refunded)
			}
			if !ok {
				if got != (Transaction{}) {
					t.Errorf("a refused withdrawal returned %+v", got)
				}
				return
			}
			if got.Kind != Chargeback || got.Amount != tt.want || got.ParentID != c.ID || got.Currency != "USD" || got.DisputeID != "dsp_1" || got.OrderID != "ord_1" {
				t.Errorf("withdrawal %+v", got)
			}
		})
	}
}

func TestReversalOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		withdrawn      int64
		amount         int64
		ok             bool
		want, wantLeft int64
	}{
		{"all of it", 10000, 10000, true, 10000, 0},
		{"capped by what was withdrawn", 3000, 10000, true, 3000, 0},
		{"part", 3000, 1000, true, 1000, 2000},
		{"nothing withdrawn", 0, 10000, false, 0, 0},
		{"zero", 3000, 0, false, 0, 3000},
		{"negative", 3000, -1, false, 0, 3000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := parentOf(Charge)
			c.AmountWithdrawn, c.AmountRefunded = tt.withdrawn, 0
			got, ok := ReversalOf(c, Transaction{Amount: tt.amount, DisputeID: "dsp_1"})
			if ok != tt.ok || c.AmountWithdrawn != tt.wantLeft {
				t.Fatalf("ok %v withdrawn left %d; want %v %d", ok, c.AmountWithdrawn, tt.ok, tt.wantLeft)
			}
			if ok && (got.Kind != ChargebackReversal || got.Amount != tt.want || got.ParentID != c.ID || got.Currency != "USD" || got.DisputeID != "dsp_1") {
				t.Errorf("reversal %+v", got)
			}
		})
	}
}
