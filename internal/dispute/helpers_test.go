package dispute

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
)

// The expected tables below are written out by hand from shared/design/states.md, not derived
// from the code's own tables, so that a wrong entry in machine.go or kind.go fails a test.
//
// Interpretations of states.md recorded here:
//   - An inquiry may escalate to needs_response from warning_needs_response as well as from
//     warning_under_review: the issuer escalates whether or not the merchant has answered.
//   - Chargebacks and manual disputes are resolvable (won or lost, usually reported by the
//     provider) from needs_response and under_review; inquiries from both warning_* open
//     statuses; alerts from open; marketplace disputes from pending_review and escalated
//     ("pending_review → resolved allowed", "escalated → resolved").
//   - closed is a status of every type: it is where Void puts an open dispute of an order that
//     was voided.
//   - previously_refunded_nothing_to_do ends an alert in the customer's favour: the customer
//     already has the money back, so it is not an "alert resolved without refund".

var (
	t0    = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tNow  = t0.Add(time.Hour)
	admin = actor.Key("key_admin", actor.Admin, "")
)

// allStatuses is every status of any type, so that tables can be checked beyond Statuses(t).
var allStatuses = []Status{
	WarningNeedsResponse, WarningUnderReview, WarningClosed, NeedsResponse, UnderReview, Won, Lost,
	Open, PendingReview, Escalated, Resolved, Closed,
}

var wantStatuses = map[Type][]Status{
	Chargeback:  {NeedsResponse, UnderReview, Won, Lost, Closed},
	Manual:      {NeedsResponse, UnderReview, Won, Lost, Closed},
	Inquiry:     {WarningNeedsResponse, WarningUnderReview, WarningClosed, Closed},
	Alert:       {Open, Resolved, Closed},
	Marketplace: {Open, PendingReview, Escalated, Resolved, Closed},
}

type pair struct{ from, to Status }

// wantMoves are the status changes without a resolution, per type.
var wantMoves = map[Type]map[pair]bool{
	Chargeback: {
		{NeedsResponse, UnderReview}: true, // evidence submitted
		{UnderReview, NeedsResponse}: true, // the issuer answered: next stage
	},
	Manual: { // "Statuses as for chargebacks"
		{NeedsResponse, UnderReview}: true,
		{UnderReview, NeedsResponse}: true,
	},
	Inquiry: {
		{WarningNeedsResponse, WarningUnderReview}: true,
		{WarningUnderReview, NeedsResponse}:        true,
		{WarningNeedsResponse, NeedsResponse}:      true,
	},
	Alert: {},
	Marketplace: {
		{Open, PendingReview}:      true,
		{PendingReview, Escalated}: true,
		{Resolved, Closed}:         true,
	},
}

var wantResolvable = map[Type][]Status{
	Chargeback:  {NeedsResponse, UnderReview},
	Manual:      {NeedsResponse, UnderReview},
	Inquiry:     {WarningNeedsResponse, WarningUnderReview},
	Alert:       {Open},
	Marketplace: {PendingReview, Escalated},
}

var wantResolutions = map[Type][]Resolution{
	Chargeback: {"won", "lost"},
	Manual:     {"won", "lost"},
	Inquiry:    {"won"},
	Alert: {"could_not_find_order", "declined_or_canceled_nothing_to_do", "issued_full_refund",
		"issued_refund_for_remaining_amount", "3ds_authorized_successfully", "previously_refunded_nothing_to_do",
		"unable_to_refund_merchant_account_closed", "other"},
	Marketplace: {"full_refund", "partial_refund", "favor_vendor", "favor_buyer", "mutual_agreement"},
}

// resolutionTargets are the statuses that only Resolve may reach.
var resolutionTargets = []Status{Won, Lost, Resolved, WarningClosed}

// endedStatuses are the statuses in which a dispute no longer counts as open; finalStatuses
// accept no change at all.
var (
	endedStatuses = []Status{Won, Lost, WarningClosed, Resolved, Closed}
	finalStatuses = []Status{Won, Lost, WarningClosed, Closed}
)

func charge() Charge {
	return Charge{ID: "ch_1", OrderID: "ord_1", CustomerID: "cus_1", VendorID: "ven_1", Amount: 10000, Currency: "USD"}
}

// params are valid creation parameters for a dispute of type typ on the charge ch_1.
func params(typ Type) NewParams {
	c := charge()
	p := NewParams{ID: "dsp_1", Type: typ, Charge: &c, Now: t0, DueBy: t0.Add(7 * 24 * time.Hour)}
	switch typ {
	case Alert:
		p.AlertType = Ethoca
	case Marketplace:
		p.InitiatedBy = Buyer
	case Manual:
		p.Reason, p.Description = ReasonFraudulent, "customer called the bank"
	}
	return p
}

// fixture returns a new dispute of type typ, matched to ch_1, placed in status s as if it had
// got there through the state machine.
func fixture(t *testing.T, typ Type, s Status) *Dispute {
	t.Helper()
	d, _, err := New(params(typ))
	if err != nil {
		t.Fatalf("New(%s): %v", typ, err)
	}
	d.Status = s
	switch s {
	case Won:
		d.Resolution = ResolutionWon
	case Lost:
		d.Resolution = ResolutionLost
	case Closed:
		d.Resolution = Voided
	}
	return &d
}

// snapshot is a deep copy of d, to prove that a refused call changed nothing.
func snapshot(d *Dispute) Dispute {
	c := *d
	c.Evidence = maps.Clone(d.Evidence)
	c.Metadata = maps.Clone(d.Metadata)
	c.Tags = slices.Clone(d.Tags)
	return c
}

func assertUnchanged(t *testing.T, before Dispute, d *Dispute) {
	t.Helper()
	if !reflect.DeepEqual(before, *d) {
		t.Errorf("a refused call changed the dispute:\nbefore %+v\nafter  %+v", before, *d)
	}
}

// wantFault fails unless err is a *fault.Error with this kind, code and param.
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

// wantInvalidState fails unless err is the state machine's refusal naming current.
func wantInvalidState(t *testing.T, err error, current Status) {
	t.Helper()
	fe := wantFault(t, err, fault.Conflict, "invalid_state", "status")
	if !strings.Contains(fe.Message, "current status is "+string(current)) {
		t.Errorf("message %q does not name the current status %s", fe.Message, current)
	}
}
