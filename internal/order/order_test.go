package order

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"disputed/internal/dispute"
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
			err := o.Complete(lines, tNow)
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
			if o.SetStatus(Refunded, tNow) || o.Status != Voided {
				t.Error("SetStatus changed a voided order")
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

func TestSetStatus(t *testing.T) {
	t.Parallel()
	// By hand: only an order that was completed moves, and only between completed, refunded and
	// partially_refunded; voided and pending are never reached this way.
	reachable := map[Status]bool{Completed: true, Refunded: true, PartiallyRefunded: true}
	for _, from := range allStatuses {
		for _, to := range allStatuses {
			t.Run(fmt.Sprintf("%s->%s", from, to), func(t *testing.T) {
				t.Parallel()
				o := Order{Status: from, UpdatedAt: t0}
				want := reachable[from] && reachable[to] && from != to
				if got := o.SetStatus(to, tNow); got != want {
					t.Fatalf("SetStatus = %v, want %v", got, want)
				}
				wantStatus, wantUpdated := from, t0
				if want {
					wantStatus, wantUpdated = to, tNow
				}
				if o.Status != wantStatus || !o.UpdatedAt.Equal(wantUpdated) {
					t.Errorf("status %s updated %v; want %s %v", o.Status, o.UpdatedAt, wantStatus, wantUpdated)
				}
			})
		}
	}
}

func TestStatusAfterRefunds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		captured, refunded int64
		want               Status
	}{
		{10000, 0, Completed},
		{10000, -5, Completed},
		{10000, 1, PartiallyRefunded},
		{10000, 9999, PartiallyRefunded},
		{10000, 10000, Refunded},
		{10000, 10001, Refunded},
		{0, 0, Completed},
		{0, 1, Refunded},
	}
	for _, tt := range tests {
		if got := StatusAfterRefunds(tt.captured, tt.refunded); got != tt.want {
			t.Errorf("StatusAfterRefunds(%d, %d) = %s, want %s", tt.captured, tt.refunded, got, tt.want)
		}
	}
}

func TestStatusForResolution(t *testing.T) {
	t.Parallel()
	// states.md, marketplace: full_refund and favor_buyer → refunded; partial_refund →
	// partially_refunded; favor_vendor and mutual_agreement → completed.
	want := map[dispute.Resolution]Status{
		dispute.FullRefund: Refunded, dispute.FavorBuyer: Refunded, dispute.PartialRefund: PartiallyRefunded,
		dispute.FavorVendor: Completed, dispute.MutualAgreement: Completed,
	}
	for _, typ := range dispute.Types {
		for _, r := range append(dispute.Resolutions(typ), dispute.Voided, "") {
			got, ok := StatusForResolution(r)
			w, wok := want[r]
			if got != w || ok != wok {
				t.Errorf("StatusForResolution(%q) = %q, %v; want %q, %v", r, got, ok, w, wok)
			}
		}
	}
}
