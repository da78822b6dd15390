package order

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"disputed/internal/fault"
)

func TestNew(t *testing.T) {
	t.Parallel()
	o, lines, err := New(params())
	if err != nil {
		t.Fatal(err)
	}
	if o.ID != "ord_1" || o.CustomerID != "cus_1" || o.VendorID != "ven_1" || o.Currency != "USD" || o.Status != Pending {
		t.Errorf("order %+v", o)
	}
	if o.Total != 2*1000+500+3*250 {
		t.Errorf("total %d, want %d", o.Total, 2*1000+500+3*250)
	}
	if o.Items[1].Quantity != 1 {
		t.Errorf("a zero quantity stays %d, want 1", o.Items[1].Quantity)
	}
	if o.Metadata == nil || !o.CreatedAt.Equal(t0) || !o.UpdatedAt.Equal(t0) || !o.CompletedAt.IsZero() {
		t.Errorf("metadata %v created %v updated %v completed %v", o.Metadata, o.CreatedAt, o.UpdatedAt, o.CompletedAt)
	}
	want := []Line{
		{ID: "line_1", OrderID: "ord_1", Item: 0, Panel: "proxmox", ExternalID: "vm-1", State: LinePending, CreatedAt: t0, UpdatedAt: t0},
		{ID: "line_2", OrderID: "ord_1", Item: 2, Panel: "manual", ExternalID: "bk-1", State: LinePending, CreatedAt: t0, UpdatedAt: t0},
	}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("lines\n%+v\nwant\n%+v", lines, want)
	}
}

func TestNewValidation(t *testing.T) {
	t.Parallel()
	item := func(desc string, amount, qty int64) Item {
		return Item{Description: desc, Amount: amount, Quantity: qty}
	}
	many := func(n int) []Item {
		out := make([]Item, n)
		for i := range out {
			out[i] = item("x", 1, 1)
		}
		return out
	}
	tests := []struct {
		name  string
		mod   func(p *NewParams)
		code  string // "" when accepted
		param string
		total int64
	}{
		{name: "no customer", mod: func(p *NewParams) { p.CustomerID = "" }, code: "parameter_missing", param: "customer_id"},
		{name: "no items", mod: func(p *NewParams) { p.Items = nil }, code: "parameter_missing", param: "items"},
		{name: "500 items", mod: func(p *NewParams) { p.Items = many(500) }, total: 500},
		{name: "501 items", mod: func(p *NewParams) { p.Items = many(501) }, code: "invalid_value", param: "items"},
		{name: "blank description", mod: func(p *NewParams) { p.Items[1].Description = "  " }, code: "parameter_missing", param: "items[1].description"},
		{name: "description too long", mod: func(p *NewParams) { p.Items[2].Description = strings.Repeat("d", 501) }, code: "invalid_value", param: "items[2].description"},
		{name: "description at limit", mod: func(p *NewParams) { p.Items = []Item{item(strings.Repeat("d", 500), 7, 1)} }, total: 7},
		{name: "negative amount", mod: func(p *NewParams) { p.Items[0].Amount = -1 }, code: "invalid_amount", param: "items[0].amount"},
		{name: "free item", mod: func(p *NewParams) { p.Items = []Item{item("gift", 0, 3)} }, total: 0},
		{name: "negative quantity", mod: func(p *NewParams) { p.Items[1].Quantity = -2 }, code: "invalid_value", param: "items[1].quantity"},
		{name: "quantity at limit", mod: func(p *NewParams) { p.Items = []Item{item("x", 3, 1_000_000)} }, total: 3_000_000},
		{name: "quantity too large", mod: func(p *NewParams) { p.Items = []Item{item("x", 3, 1_000_001)} }, code: "invalid_value", param: "items[0].quantity"},
		{name: "line total overflows", mod: func(p *NewParams) { p.Items = []Item{item("x", math.MaxInt64/2+1, 2)} }, code: "invalid_amount", param: "items[0].amount"},
		{name: "order total overflows", mod: func(p *NewParams) { p.Items = []Item{item("a", math.MaxInt64, 1), item("b", 1, 1)} }, code: "invalid_amount", param: "items[1].amount"},
		{name: "total at the limit", mod: func(p *NewParams) { p.Items = []Item{item("a", math.MaxInt64-1, 1), item("b", 1, 1)} }, total: math.MaxInt64},
		{name: "line without panel", mod: func(p *NewParams) { p.Items[0].Line.Panel = " " }, code: "parameter_missing", param: "items[0].line.panel"},
		{name: "line without external id", mod: func(p *NewParams) { p.Items[2].Line.ExternalID = "" }, code: "parameter_missing", param: "items[2].line.external_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := params()
			tt.mod(&p)
			o, lines, err := New(p)
			if tt.code != "" {
				wantFault(t, err, fault.Invalid, tt.code, tt.param)
				if o.ID != "" || lines != nil {
					t.Errorf("a refused New returned %+v, %v", o, lines)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if o.Total != tt.total {
				t.Errorf("total %d, want %d", o.Total, tt.total)
			}
		})
	}
}

func TestComplete(t *testing.T) {
	t.Parallel()
	for _, s := range allStatuses {
		t.Run(string(s), func(t *testing.T) {
			t.Parallel()
			o, lines := fixture(t, Pending)
			o.Status = s
			before := *o
			err := o.Complete(lines, Payments{}, tNow)
			if s != Pending {
				wantInvalidState(t, err, string(s))
				if !reflect.DeepEqual(before, *o) || lines[0].State != LinePending {
					t.Errorf("a refused Complete changed the order or its lines")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if o.Status != Completed || !o.CompletedAt.Equal(tNow) || !o.UpdatedAt.Equal(tNow) {
				t.Errorf("status %s completed %v updated %v", o.Status, o.CompletedAt, o.UpdatedAt)
			}
			for _, l := range lines {
				if l.State != LineActive || !l.UpdatedAt.Equal(tNow) || l.PendingAction != NoAction {
					t.Errorf("line %+v", l)
				}
			}
		})
	}
}

func TestVoid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		from   Status
		reason string
		kind   fault.Kind
		code   string // "" when accepted
		param  string
	}{
		{Completed, "fraudulent order", 0, "", ""},
		{Completed, "  trimmed  ", 0, "", ""},
		{Completed, strings.Repeat("r", 500), 0, "", ""},
		{Completed, strings.Repeat("r", 501), fault.Invalid, "invalid_value", "reason"},
		{Completed, "", fault.Invalid, "parameter_missing", "reason"},
		{Completed, " \t\n", fault.Invalid, "parameter_missing", "reason"},
		{Pending, "x", fault.Conflict, "invalid_state", "status"},
		{Voided, "x", fault.Conflict, "invalid_state", "status"},
		{Refunded, "x", fault.Conflict, "invalid_state", "status"},
		{PartiallyRefunded, "x", fault.Conflict, "invalid_state", "status"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%.10q", tt.from, tt.reason), func(t *testing.T) {
			t.Parallel()
			o, _ := fixture(t, tt.from)
			before := *o
			err := o.Void(tt.reason, tNow)
			if tt.code != "" {
				fe := wantFault(t, err, tt.kind, tt.code, tt.param)
				if tt.code == "invalid_state" && !strings.Contains(fe.Message, string(tt.from)) {
					t.Errorf("message %q does not name %s", fe.Message, tt.from)
				}
				if !reflect.DeepEqual(before, *o) {
					t.Errorf("a refused Void changed the order")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if o.Status != Voided || o.VoidReason != strings.TrimSpace(tt.reason) || !o.VoidedAt.Equal(tNow) || !o.UpdatedAt.Equal(tNow) {
				t.Errorf("order after void %+v", *o)
			}
			// A voided order accepts nothing.
			wantInvalidState(t, o.CheckChangeable("edit"), "voided")
			wantInvalidState(t, o.CheckDisputable(), "voided")
			wantInvalidState(t, o.Void("again", tNow), "voided")
			if _, changed := o.Settle(Payments{Captured: 100, Refunded: 100}, tNow); changed || o.Status != Voided {
				t.Error("a refund moved a voided order")
			}
		})
	}
}

func TestCheckDisputableAndChangeable(t *testing.T) {
	t.Parallel()
	for _, s := range allStatuses {
		o := Order{Status: s}
		err := o.CheckDisputable()
		if s == Completed {
			if err != nil {
				t.Errorf("CheckDisputable(%s) = %v", s, err)
			}
		} else {
			wantInvalidState(t, err, string(s))
		}
		err = o.CheckChangeable("record a transaction")
		if s == Voided {
			fe := wantFault(t, err, fault.Conflict, "invalid_state", "status")
			if !strings.Contains(fe.Message, "record a transaction") {
				t.Errorf("message %q does not name the action", fe.Message)
			}
		} else if err != nil {
			t.Errorf("CheckChangeable(%s) = %v", s, err)
		}
	}
}

// TestStatusOf: the status comes from the order's life (pending, voided) and otherwise from its
// payments alone.
func TestStatusOf(t *testing.T) {
	t.Parallel()
	pending, completed, voided := Order{}, Order{CompletedAt: t0}, Order{CompletedAt: t0, VoidedAt: tNow}
	tests := []struct {
		o    Order
		p    Payments
		want Status
	}{
		{pending, Payments{}, Pending},
		{pending, Payments{Captured: 100, Refunded: 100}, Pending},
		{voided, Payments{}, Voided},
		{voided, Payments{Captured: 100, Refunded: 40}, Voided},
		{completed, Payments{}, Completed},
		{completed, Payments{Captured: 10000}, Completed},
		{completed, Payments{Captured: 10000, Refunded: -5}, Completed},
		{completed, Payments{Captured: 10000, Refunded: 1}, PartiallyRefunded},
		{completed, Payments{Captured: 10000, Refunded: 9999}, PartiallyRefunded},
		{completed, Payments{Captured: 10000, Refunded: 10000}, Refunded},
		{completed, Payments{Captured: 10000, Refunded: 10001}, Refunded},
		{completed, Payments{Refunded: 1}, Refunded},
	}
	for _, tt := range tests {
		if got := StatusOf(tt.o, tt.p); got != tt.want {
			t.Errorf("StatusOf(completed %v voided %v, %+v) = %s, want %s", !tt.o.CompletedAt.IsZero(), !tt.o.VoidedAt.IsZero(), tt.p, got, tt.want)
		}
	}
}

// TestSettle: the one writer of the status moves it to what StatusOf says, back and forth, and
// touches nothing when it already agrees.
func TestSettle(t *testing.T) {
	t.Parallel()
	o, _ := fixture(t, Completed)
	o.UpdatedAt = t0
	steps := []struct {
		p       Payments
		want    Status
		changed bool
	}{
		{Payments{Captured: 2500}, Completed, false},
		{Payments{Captured: 2500, Refunded: 1000}, PartiallyRefunded, true},
		{Payments{Captured: 2500, Refunded: 2500}, Refunded, true},
		{Payments{Captured: 5000, Refunded: 2500}, PartiallyRefunded, true}, // a second charge
		{Payments{Captured: 5000, Refunded: 2500}, PartiallyRefunded, false},
	}
	for i, st := range steps {
		before := o.Status
		now := tNow.Add(time.Duration(i) * time.Minute)
		from, changed := o.Settle(st.p, now)
		if from != before || changed != st.changed || o.Status != st.want {
			t.Fatalf("step %d: Settle(%+v) = %s, %v; status %s; want from %s, %v, %s", i, st.p, from, changed, o.Status, before, st.changed, st.want)
		}
		if changed && !o.UpdatedAt.Equal(now) {
			t.Errorf("step %d: updated_at %v, want %v", i, o.UpdatedAt, now)
		}
	}
}

// TestPaymentsOf: charges and captures are captured, refunds (external ones too) refunded;
// withdrawals, reversals, authorizations and voids are neither.
func TestPaymentsOf(t *testing.T) {
	t.Parallel()
	txns := []Transaction{
		{Kind: Charge, Amount: 2500}, {Kind: Capture, Amount: 500}, {Kind: Authorization, Amount: 900},
		{Kind: Refund, Amount: 300}, {Kind: Refund, Amount: 200, External: true},
		{Kind: Chargeback, Amount: 1000}, {Kind: ChargebackReversal, Amount: 1000}, {Kind: Void},
	}
	p, err := PaymentsOf(txns)
	if err != nil || p != (Payments{Captured: 3000, Refunded: 500}) {
		t.Fatalf("PaymentsOf = %+v, %v", p, err)
	}
	if _, err := PaymentsOf([]Transaction{{Kind: Charge, Amount: math.MaxInt64}, {Kind: Charge, Amount: 1}}); err == nil {
		t.Error("a sum past int64 was accepted")
	}
}
