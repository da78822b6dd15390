package order

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"disputed/internal/fault"
)

var (
	t0   = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tNow = t0.Add(time.Hour)
)

var allStatuses = []Status{Pending, Completed, Voided, Refunded, PartiallyRefunded}

// lineIDs returns a LineID function giving line_1, line_2, ….
func lineIDs() func() string {
	var n atomic.Int64
	return func() string { return fmt.Sprintf("line_%d", n.Add(1)) }
}

// params are valid parameters for a USD order of two service lines and one plain item.
func params() NewParams {
	return NewParams{
		ID: "ord_1", CustomerID: "cus_1", VendorID: "ven_1", Currency: "USD", Now: t0, LineID: lineIDs(),
		Items: []Item{
			{Description: "VPS small", Amount: 1000, Quantity: 2, Line: &LineSpec{Panel: "proxmox", ExternalID: "vm-1"}},
			{Description: "Setup fee", Amount: 500},
			{Description: "Backup", Amount: 250, Quantity: 3, Line: &LineSpec{Panel: "manual", ExternalID: "bk-1"}},
		},
	}
}

// fixture returns an order with its lines, in status s.
func fixture(t *testing.T, s Status) (*Order, []Line) {
	t.Helper()
	o, lines, err := New(params())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if s != Pending {
		if err := o.Complete(lines, Payments{}, t0); err != nil {
			t.Fatal(err)
		}
	}
	o.Status = s
	return &o, lines
}

func wantFault(t *testing.T, err error, kind fault.Kind, code, param string) *fault.Error {
	t.Helper()
	fe, ok := fault.As(err)
	if !ok {
		t.Fatalf("error = %v; want a fault %s (%s)", err, code, param)
	}
	if fe.Kind != kind || fe.Code != code || fe.Param != param {
		t.Fatalf("fault = {Kind:%d Code:%q Param:%q Message:%q}; want {Kind:%d Code:%q Param:%q}",
			fe.Kind, fe.Code, fe.Param, fe.Message, kind, code, param)
	}
	return fe
}

func wantInvalidState(t *testing.T, err error, current string) {
	t.Helper()
	fe := wantFault(t, err, fault.Conflict, "invalid_state", "status")
	if !strings.Contains(fe.Message, "current status is "+current) {
		t.Errorf("message %q does not name the current status %s", fe.Message, current)
	}
}
