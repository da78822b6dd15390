package dispute

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"disputed/internal/fault"
)

func TestEvidenceFields(t *testing.T) {
	t.Parallel()
	// Stripe's dispute evidence fields, written out by hand.
	want := []string{
		"access_activity_log", "billing_address", "cancellation_policy", "cancellation_policy_disclosure",
		"cancellation_rebuttal", "customer_communication", "customer_email_address", "customer_name",
		"customer_purchase_ip", "customer_signature", "duplicate_charge_documentation",
		"duplicate_charge_explanation", "duplicate_charge_id", "product_description", "receipt",
		"refund_policy", "refund_policy_disclosure", "refund_refusal_explanation", "service_date",
		"service_documentation", "shipping_address", "shipping_carrier", "shipping_date",
		"shipping_documentation", "shipping_tracking_number", "uncategorized_file", "uncategorized_text",
	}
	if !slices.Equal(EvidenceFields, want) {
		t.Errorf("EvidenceFields = %v", EvidenceFields)
	}
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	later := t0.Add(48 * time.Hour)
	staged := func(typ Type, s Status, ev map[string]string) func(t *testing.T) *Dispute {
		return func(t *testing.T) *Dispute {
			d := fixture(t, typ, s)
			maps.Copy(d.Evidence, ev)
			return d
		}
	}
	tags := func(s ...string) *[]string { return &s }
	type want struct {
		kind     fault.Kind
		code     string // "" when accepted
		param    string
		action   string // "" for a no-op
		status   Status
		evidence map[string]string
		subs     int
		events   []string
	}
	tests := []struct {
		name  string
		setup func(t *testing.T) *Dispute
		p     UpdateParams
		want  want
		check func(t *testing.T, d *Dispute)
	}{
		{name: "stage one field", setup: staged(Chargeback, NeedsResponse, nil),
			p:    UpdateParams{Evidence: map[string]string{"receipt": "file_1"}},
			want: want{action: "updated", status: NeedsResponse, evidence: map[string]string{"receipt": "file_1"}, events: []string{"dispute.updated"}}},
		{name: "stage in warning_needs_response", setup: staged(Inquiry, WarningNeedsResponse, nil),
			p:    UpdateParams{Evidence: map[string]string{"customer_name": "Ann"}},
			want: want{action: "updated", status: WarningNeedsResponse, evidence: map[string]string{"customer_name": "Ann"}, events: []string{"dispute.updated"}}},
		{name: "stage in manual", setup: staged(Manual, NeedsResponse, nil),
			p:    UpdateParams{Evidence: map[string]string{"uncategorized_text": "notes"}},
			want: want{action: "updated", status: NeedsResponse, evidence: map[string]string{"uncategorized_text": "notes"}, events: []string{"dispute.updated"}}},
		{name: "empty value removes", setup: staged(Chargeback, NeedsResponse, map[string]string{"receipt": "file_1", "customer_name": "Ann"}),
			p:    UpdateParams{Evidence: map[string]string{"receipt": ""}},
			want: want{action: "updated", status: NeedsResponse, evidence: map[string]string{"customer_name": "Ann"}, events: []string{"dispute.updated"}}},
		{name: "removing a missing field is a no-op", setup: staged(Chargeback, NeedsResponse, map[string]string{"customer_name": "Ann"}),
			p:    UpdateParams{Evidence: map[string]string{"receipt": ""}},
			want: want{status: NeedsResponse, evidence: map[string]string{"customer_name": "Ann"}}},
		{name: "same value is a no-op", setup: staged(Chargeback, NeedsResponse, map[string]string{"customer_name": "Ann"}),
			p:    UpdateParams{Evidence: map[string]string{"customer_name": "Ann"}, Tags: tags(), Metadata: map[string]string{"gone": ""}},
			want: want{status: NeedsResponse, evidence: map[string]string{"customer_name": "Ann"}}},
		{name: "empty update is a no-op", setup: staged(Chargeback, UnderReview, nil),
			p: UpdateParams{}, want: want{status: UnderReview, evidence: map[string]string{}}},
		{name: "unknown field", setup: staged(Chargeback, NeedsResponse, nil),
			p:    UpdateParams{Evidence: map[string]string{"receipt": "file_1", "favourite_colour": "blue"}},
			want: want{kind: fault.Malformed, code: "unknown_field", param: "evidence.favourite_colour"}},
		{name: "unknown field sorted before a known one", setup: staged(Chargeback, NeedsResponse, nil),
			p:    UpdateParams{Evidence: map[string]string{"aaa": "x", "receipt": "file_1"}},
			want: want{kind: fault.Malformed, code: "unknown_field", param: "evidence.aaa"}},
		{name: "evidence value too long", setup: staged(Chargeback, NeedsResponse, nil),
			p:    UpdateParams{Evidence: map[string]string{"uncategorized_text": strings.Repeat("x", 20001)}},
			want: want{kind: fault.Invalid, code: "invalid_value", param: "evidence.uncategorized_text"}},
		{name: "stage under review", setup: staged(Chargeback, UnderReview, nil),
			p:    UpdateParams{Evidence: map[string]string{"receipt": "file_1"}},
			want: want{kind: fault.Conflict, code: "invalid_state", param: "status"}},
		{name: "stage in warning_under_review", setup: staged(Inquiry, WarningUnderReview, nil),
			p:    UpdateParams{Evidence: map[string]string{"receipt": "file_1"}},
			want: want{kind: fault.Conflict, code: "invalid_state", param: "status"}},
		{name: "stage on marketplace", setup: staged(Marketplace, Open, nil),
			p:    UpdateParams{Evidence: map[string]string{"receipt": "file_1"}},
			want: want{kind: fault.Invalid, code: "not_supported_for_type", param: "type"}},
		{name: "stage on alert", setup: staged(Alert, Open, nil),
			p:    UpdateParams{Evidence: map[string]string{"receipt": "file_1"}},
			want: want{kind: fault.Invalid, code: "not_supported_for_type", param: "type"}},

		{name: "stage and submit", setup: staged(Chargeback, NeedsResponse, nil),
			p: UpdateParams{Evidence: map[string]string{"receipt": "file_1"}, Submit: true},
			want: want{action: "submitted", status: UnderReview, evidence: map[string]string{"receipt": "file_1"}, subs: 1,
				events: []string{"dispute.updated", "dispute.submitted"}}},
		{name: "submit staged evidence", setup: staged(Inquiry, WarningNeedsResponse, map[string]string{"receipt": "file_1"}),
			p: UpdateParams{Submit: true},
			want: want{action: "submitted", status: WarningUnderReview, evidence: map[string]string{"receipt": "file_1"}, subs: 1,
				events: []string{"dispute.updated", "dispute.submitted"}}},
		{name: "submit without evidence", setup: staged(Chargeback, NeedsResponse, nil),
			p: UpdateParams{Submit: true}, want: want{kind: fault.Invalid, code: "evidence_missing", param: "evidence"}},
		{name: "submit after removing the only field", setup: staged(Chargeback, NeedsResponse, map[string]string{"receipt": "file_1"}),
			p: UpdateParams{Evidence: map[string]string{"receipt": ""}, Submit: true}, want: want{kind: fault.Invalid, code: "evidence_missing", param: "evidence"}},
		{name: "submit under review", setup: staged(Chargeback, UnderReview, map[string]string{"receipt": "file_1"}),
			p: UpdateParams{Submit: true}, want: want{kind: fault.Conflict, code: "invalid_state", param: "status"}},
		{name: "submit marketplace", setup: staged(Marketplace, Open, nil),
			p: UpdateParams{Submit: true}, want: want{kind: fault.Invalid, code: "not_supported_for_type", param: "type"}},
		{name: "tags changed then submit refused", setup: staged(Chargeback, UnderReview, nil),
			p: UpdateParams{Tags: tags("vip"), Submit: true}, want: want{kind: fault.Conflict, code: "invalid_state", param: "status"}},
		{name: "evidence staged then bad tag", setup: staged(Chargeback, NeedsResponse, nil),
			p: UpdateParams{Evidence: map[string]string{"receipt": "file_1"}, Tags: tags("")}, want: want{kind: fault.Invalid, code: "invalid_value", param: "tags"}},

		{name: "due date, tags and metadata", setup: staged(Marketplace, PendingReview, nil),
			p:    UpdateParams{DueBy: &later, Tags: tags(" a ", "b", "a"), Metadata: map[string]string{"k": "v"}},
			want: want{action: "updated", status: PendingReview, evidence: map[string]string{}, events: []string{"dispute.updated"}},
			check: func(t *testing.T, d *Dispute) {
				if !d.DueBy.Equal(later) || !slices.Equal(d.Tags, []string{"a", "b"}) || !maps.Equal(d.Metadata, map[string]string{"k": "v"}) {
					t.Errorf("due %v tags %q metadata %v", d.DueBy, d.Tags, d.Metadata)
				}
			}},
		{name: "zero due date removes it", setup: staged(Chargeback, UnderReview, nil),
			p: UpdateParams{DueBy: &time.Time{}}, want: want{action: "updated", status: UnderReview, evidence: map[string]string{}, events: []string{"dispute.updated"}},
			check: func(t *testing.T, d *Dispute) {
				if !d.DueBy.IsZero() {
					t.Errorf("due %v", d.DueBy)
				}
			}},
		{name: "metadata merged and removed", setup: func(t *testing.T) *Dispute {
			d := fixture(t, Alert, Open)
			d.Metadata = map[string]string{"a": "1", "b": "2"}
			return d
		}, p: UpdateParams{Metadata: map[string]string{"a": "", "c": "3"}},
			want: want{action: "updated", status: Open, evidence: map[string]string{}, events: []string{"dispute.updated"}},
			check: func(t *testing.T, d *Dispute) {
				if !maps.Equal(d.Metadata, map[string]string{"b": "2", "c": "3"}) {
					t.Errorf("metadata %v", d.Metadata)
				}
			}},
		{name: "metadata over the limit after merge", setup: func(t *testing.T) *Dispute {
			d := fixture(t, Chargeback, UnderReview)
			d.Metadata = metadata(50)
			return d
		}, p: UpdateParams{Metadata: map[string]string{"extra": "x"}}, want: want{kind: fault.Invalid, code: "invalid_value", param: "metadata"}},
		{name: "resolved marketplace", setup: staged(Marketplace, Resolved, nil),
			p: UpdateParams{Tags: tags("x")}, want: want{kind: fault.Conflict, code: "invalid_state", param: "status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := tt.setup(t)
			before := snapshot(d)
			c, err := d.Update(tt.p, tNow)
			if tt.want.code != "" {
				wantFault(t, err, tt.want.kind, tt.want.code, tt.want.param)
				assertUnchanged(t, before, d)
				return
			}
			if err != nil {
				t.Fatalf("Update: %v", err)
			}
			wantRev := before.Revision
			if tt.want.action != "" {
				wantRev++
			}
			if c.Action != tt.want.action || d.Revision != wantRev || d.Status != tt.want.status {
				t.Errorf("action %q revision %d status %s; want %q %d %s", c.Action, d.Revision, d.Status, tt.want.action, wantRev, tt.want.status)
			}
			if tt.want.action == "" && !d.UpdatedAt.Equal(before.UpdatedAt) {
				t.Errorf("a no-op update touched the dispute at %v", d.UpdatedAt)
			}
			if tt.want.action != "" && (c.From != before.Status || c.To != tt.want.status || !d.UpdatedAt.Equal(tNow)) {
				t.Errorf("change %s->%s updated %v", c.From, c.To, d.UpdatedAt)
			}
			if !maps.Equal(d.Evidence, tt.want.evidence) || d.SubmissionCount != tt.want.subs || !slices.Equal(c.Events, tt.want.events) {
				t.Errorf("evidence %v submissions %d events %v; want %v %d %v", d.Evidence, d.SubmissionCount, c.Events, tt.want.evidence, tt.want.subs, tt.want.events)
			}
			if tt.check != nil {
				tt.check(t, d)
			}
		})
	}
}

// TestUpdateEveryEndedStatus: once a dispute has ended, no update is accepted.
func TestUpdateEveryEndedStatus(t *testing.T) {
	t.Parallel()
	for _, typ := range Types {
		for _, s := range Statuses(typ) {
			if !Ended(s) {
				continue
			}
			t.Run(fmt.Sprintf("%s/%s", typ, s), func(t *testing.T) {
				t.Parallel()
				d := fixture(t, typ, s)
				before := snapshot(d)
				_, err := d.Update(UpdateParams{}, tNow)
				wantInvalidState(t, err, s)
				assertUnchanged(t, before, d)
			})
		}
	}
}

func TestSubmit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ      Type
		from     Status
		evidence bool
		items    int
		to       Status // "" when refused
		code     string
		kind     fault.Kind
	}{
		{Chargeback, NeedsResponse, true, 0, UnderReview, "", 0},
		{Chargeback, NeedsResponse, false, 2, UnderReview, "", 0}, // appended items count as evidence
		{Manual, NeedsResponse, true, 0, UnderReview, "", 0},
		{Inquiry, WarningNeedsResponse, true, 0, WarningUnderReview, "", 0},
		{Chargeback, NeedsResponse, false, 0, "", "evidence_missing", fault.Invalid},
		{Inquiry, WarningNeedsResponse, false, 0, "", "evidence_missing", fault.Invalid},
		{Chargeback, UnderReview, true, 0, "", "invalid_state", fault.Conflict},
		{Inquiry, WarningUnderReview, true, 0, "", "invalid_state", fault.Conflict},
		{Chargeback, Won, true, 0, "", "invalid_state", fault.Conflict},
		{Chargeback, Lost, true, 0, "", "invalid_state", fault.Conflict},
		{Inquiry, WarningClosed, true, 0, "", "invalid_state", fault.Conflict},
		{Manual, Closed, true, 0, "", "invalid_state", fault.Conflict},
		{Alert, Open, true, 0, "", "not_supported_for_type", fault.Invalid},
		{Marketplace, Open, false, 1, "", "not_supported_for_type", fault.Invalid},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s/evidence=%v,%d", tt.typ, tt.from, tt.evidence, tt.items), func(t *testing.T) {
			t.Parallel()
			d := fixture(t, tt.typ, tt.from)
			if tt.evidence {
				d.Evidence["receipt"] = "file_1"
			}
			d.EvidenceItems = tt.items
			d.SubmissionCount = 1
			before := snapshot(d)
			c, err := d.Submit(admin, tNow)
			if tt.to == "" {
				fe, ok := fault.As(err)
				if !ok || fe.Code != tt.code || fe.Kind != tt.kind {
					t.Fatalf("Submit = %v; want %s", err, tt.code)
				}
				assertUnchanged(t, before, d)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Status != tt.to || d.SubmissionCount != 2 || d.Revision != before.Revision+1 || c.Action != "submitted" ||
				c.From != tt.from || c.To != tt.to || !slices.Equal(c.Events, []string{"dispute.submitted"}) {
				t.Errorf("status %s submissions %d rev %d change %+v", d.Status, d.SubmissionCount, d.Revision, c)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	t.Parallel()
	unmatched := func(typ Type, orderID string) func(t *testing.T) *Dispute {
		return func(t *testing.T) *Dispute {
			p := params(typ)
			p.Charge, p.OrderID, p.Amount, p.Currency = nil, orderID, 4000, "USD"
			p.OrderTotal, p.OrderCurrency = 4000, "USD"
			d, _, err := New(p)
			if err != nil {
				t.Fatal(err)
			}
			return &d
		}
	}
	other := Charge{ID: "ch_2", OrderID: "ord_2", CustomerID: "cus_2", Amount: 9000, Currency: "USD"}
	tests := []struct {
		name   string
		setup  func(t *testing.T) *Dispute
		c      Charge
		kind   fault.Kind
		code   string // "" when accepted
		param  string
		noop   bool
		events []string
	}{
		{name: "alert links order customer vendor", setup: unmatched(Alert, ""), c: charge(), events: []string{"dispute.updated", "order.disputed"}},
		{name: "chargeback", setup: unmatched(Chargeback, ""), c: charge(), events: []string{"dispute.updated", "order.disputed"}},
		{name: "manual already on the order", setup: unmatched(Manual, "ord_1"), c: charge(), events: []string{"dispute.updated"}},
		{name: "charge of another order", setup: unmatched(Manual, "ord_9"), c: charge(), kind: fault.Invalid, code: "invalid_value", param: "order_id"},
		{name: "charge too small", setup: unmatched(Alert, ""), c: Charge{ID: "ch_3", OrderID: "ord_3", Amount: 3999, Currency: "USD"},
			kind: fault.Invalid, code: "invalid_amount", param: "amount"},
		{name: "charge in another currency", setup: unmatched(Alert, ""), c: Charge{ID: "ch_3", Amount: 9000, Currency: "EUR"},
			kind: fault.Invalid, code: "currency_mismatch", param: "currency"},
		{name: "same charge again", setup: func(t *testing.T) *Dispute { return fixture(t, Alert, Open) }, c: charge(), noop: true},
		{name: "already matched", setup: func(t *testing.T) *Dispute { return fixture(t, Alert, Open) }, c: other,
			kind: fault.Conflict, code: "already_matched", param: "transaction_id"},
		{name: "resolved alert", setup: func(t *testing.T) *Dispute {
			d := unmatched(Alert, "")(t)
			d.Status = Resolved
			return d
		}, c: charge(), kind: fault.Conflict, code: "invalid_state", param: "status"},
		{name: "marketplace without amount, charge of another order", setup: func(t *testing.T) *Dispute {
			p := params(Marketplace)
			p.Charge, p.OrderID = nil, "ord_9"
			d, _, err := New(p)
			if err != nil {
				t.Fatal(err)
			}
			return &d // amount 0, no currency: attach would fill both before refusing the order
		}, c: charge(), kind: fault.Invalid, code: "invalid_value", param: "order_id"},
		{name: "won chargeback, same charge", setup: func(t *testing.T) *Dispute { return fixture(t, Chargeback, Won) }, c: charge(),
			kind: fault.Conflict, code: "invalid_state", param: "status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := tt.setup(t)
			before := snapshot(d)
			c, err := d.Match(tt.c, tNow)
			if tt.code != "" {
				wantFault(t, err, tt.kind, tt.code, tt.param)
				assertUnchanged(t, before, d)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.noop {
				if c.Action != "" {
					t.Errorf("re-matching the same charge returned %+v", c)
				}
				assertUnchanged(t, before, d)
				return
			}
			if d.TransactionID != tt.c.ID || d.OrderID != tt.c.OrderID || d.CustomerID != tt.c.CustomerID || d.VendorID != tt.c.VendorID {
				t.Errorf("after Match: txn %q order %q customer %q vendor %q", d.TransactionID, d.OrderID, d.CustomerID, d.VendorID)
			}
			if d.Amount != 4000 || d.Revision != before.Revision+1 || d.Status != before.Status {
				t.Errorf("amount %d revision %d status %s", d.Amount, d.Revision, d.Status)
			}
			if c.Action != "matched" || c.Note != tt.c.ID || c.From != d.Status || c.To != d.Status || !slices.Equal(c.Events, tt.events) {
				t.Errorf("change %+v, want events %v", c, tt.events)
			}
		})
	}
}

// TestUpdateNilEvidence: a dispute read back from storage may have a nil evidence map.
func TestUpdateNilEvidence(t *testing.T) {
	t.Parallel()
	d := fixture(t, Chargeback, NeedsResponse)
	d.Evidence = nil
	c, err := d.Update(UpdateParams{Evidence: map[string]string{"receipt": "file_1"}, Submit: true}, tNow)
	if err != nil {
		t.Fatal(err)
	}
	if c.Action != "submitted" || d.Status != UnderReview || d.Evidence["receipt"] != "file_1" || d.SubmissionCount != 1 {
		t.Errorf("change %+v dispute %+v", c, *d)
	}
}

// TestUpdateDoesNotShareEvidence: a copy of the dispute taken before an update keeps its own
// evidence, as a use case comparing before and after expects.
func TestUpdateDoesNotShareEvidence(t *testing.T) {
	t.Parallel()
	d := fixture(t, Chargeback, NeedsResponse)
	d.Evidence["customer_name"] = "Ann"
	before := *d // shallow copy, sharing the map
	if _, err := d.Update(UpdateParams{Evidence: map[string]string{"customer_name": "", "receipt": "file_1"}}, tNow); err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(before.Evidence, map[string]string{"customer_name": "Ann"}) {
		t.Errorf("the earlier copy's evidence changed to %v", before.Evidence)
	}
	if !maps.Equal(d.Evidence, map[string]string{"receipt": "file_1"}) {
		t.Errorf("evidence %v", d.Evidence)
	}
}
