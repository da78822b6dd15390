package order

import (
	"fmt"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/fault"
)

func TestParseLineAction(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want LineAction
		ok   bool
	}{
		{"suspend", Suspend, true}, {"enable", Enable, true}, {"terminate", Terminate, true},
		{"", NoAction, false}, {"Suspend", NoAction, false}, {"delete", NoAction, false}, {" enable", NoAction, false},
	} {
		got, err := ParseLineAction(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseLineAction(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if !tt.ok {
			wantFault(t, err, fault.Invalid, "invalid_value", "action")
		}
	}
}

// TestActionForOutcome follows states.md, Lines.
func TestActionForOutcome(t *testing.T) {
	t.Parallel()
	tests := []struct {
		o         dispute.Outcome
		terminate bool
		want      LineAction
	}{
		{dispute.OutcomeMerchant, false, Enable},
		{dispute.OutcomeMerchant, true, Enable},
		{dispute.OutcomeCustomer, false, Terminate},
		{dispute.OutcomeCustomer, true, Terminate},
		{dispute.OutcomeCompromise, false, Enable},
		{dispute.OutcomeCompromise, true, Terminate},
		{dispute.OutcomeNone, false, NoAction},
		{dispute.OutcomeNone, true, NoAction},
		{"bogus", true, NoAction},
	}
	for _, tt := range tests {
		if got := ActionForOutcome(tt.o, tt.terminate); got != tt.want {
			t.Errorf("ActionForOutcome(%q, %v) = %q, want %q", tt.o, tt.terminate, got, tt.want)
		}
	}
}

// TestActionForEveryResolution runs each resolution through dispute.Resolve and checks the line
// action states.md gives for it.
func TestActionForEveryResolution(t *testing.T) {
	t.Parallel()
	want := map[dispute.Resolution][2]LineAction{ // without, with terminate_lines
		"won": {Enable}, "lost": {Terminate},
		"full_refund": {Terminate}, "favor_buyer": {Terminate}, "favor_vendor": {Enable},
		"partial_refund": {Enable, Terminate}, "mutual_agreement": {Enable, Terminate},
		"issued_full_refund": {Terminate}, "issued_refund_for_remaining_amount": {Terminate},
		"previously_refunded_nothing_to_do":        {Terminate},
		"could_not_find_order":                     {Enable},
		"declined_or_canceled_nothing_to_do":       {Enable},
		"3ds_authorized_successfully":              {Enable},
		"unable_to_refund_merchant_account_closed": {Enable},
		"other": {Enable},
	}
	resolvable := map[dispute.Type]dispute.Status{
		dispute.Chargeback: dispute.UnderReview, dispute.Manual: dispute.UnderReview,
		dispute.Inquiry: dispute.WarningUnderReview, dispute.Alert: dispute.Open, dispute.Marketplace: dispute.Escalated,
	}
	for _, typ := range dispute.Types {
		for _, r := range dispute.Resolutions(typ) {
			for i, term := range []bool{false, true} {
				w := want[r][i]
				if w == NoAction {
					continue // terminate_lines does not apply
				}
				d := dispute.Dispute{Type: typ, Status: resolvable[typ], TransactionID: "ch_1"}
				p := dispute.ResolveParams{Resolution: r, TerminateLines: term}
				if r == dispute.PartialRefund {
					p.RefundAmount = 1
				}
				c, err := d.Resolve(p)
				if err != nil {
					t.Errorf("%s %s: %v", typ, r, err)
					continue
				}
				if got := ActionForOutcome(c.Outcome, c.TerminateLines); got != w {
					t.Errorf("%s resolved %s (terminate_lines %v): lines %q, want %q", typ, r, term, got, w)
				}
			}
		}
	}
	// Conceded, expired and voided disputes go against the merchant; an expired inquiry for it.
	ended := []struct {
		name string
		do   func(d *dispute.Dispute) (dispute.Change, error)
		typ  dispute.Type
		from dispute.Status
		want LineAction
	}{
		{"conceded", func(d *dispute.Dispute) (dispute.Change, error) { return d.Close(actor.System, "", t0) }, dispute.Chargeback, dispute.NeedsResponse, Terminate},
		{"voided", func(d *dispute.Dispute) (dispute.Change, error) { return d.Void("order voided", actor.System, t0) }, dispute.Marketplace, dispute.Open, Terminate},
		{"expired chargeback", func(d *dispute.Dispute) (dispute.Change, error) { c, _ := d.Expire(tNow); return c, nil }, dispute.Chargeback, dispute.NeedsResponse, Terminate},
		{"expired inquiry", func(d *dispute.Dispute) (dispute.Change, error) { c, _ := d.Expire(tNow); return c, nil }, dispute.Inquiry, dispute.WarningNeedsResponse, Enable},
	}
	for _, e := range ended {
		d := dispute.Dispute{Type: e.typ, Status: e.from, DueBy: t0}
		c, err := e.do(&d)
		if err != nil {
			t.Errorf("%s: %v", e.name, err)
			continue
		}
		if got := ActionForOutcome(c.Outcome, c.TerminateLines); got != e.want {
			t.Errorf("%s: lines %q, want %q", e.name, got, e.want)
		}
	}
}

var lineActions = []LineAction{Suspend, Enable, Terminate}

// lineCase is a line state and its pending action, as they can occur.
type lineCase struct {
	state   LineState
	pending LineAction
}

// reachableLines are the combinations the line machine can produce: a pending action is always
// one that the line's state needs.
var reachableLines = []lineCase{
	{LinePending, NoAction},
	{LineActive, NoAction}, {LineActive, Suspend}, {LineActive, Terminate},
	{LineSuspended, NoAction}, {LineSuspended, Enable}, {LineSuspended, Terminate},
	{LineTerminated, NoAction},
}

func TestNeeds(t *testing.T) {
	t.Parallel()
	// want[case] lists the actions that would change the line, counting what is pending.
	want := map[lineCase][]LineAction{
		{LinePending, NoAction}:    nil,
		{LineActive, NoAction}:     {Suspend, Terminate},
		{LineActive, Suspend}:      {Enable, Terminate}, // as good as suspended
		{LineActive, Terminate}:    nil,                 // as good as terminated
		{LineSuspended, NoAction}:  {Enable, Terminate},
		{LineSuspended, Enable}:    {Suspend, Terminate}, // as good as active
		{LineSuspended, Terminate}: nil,
		{LineTerminated, NoAction}: nil,
	}
	for _, lc := range reachableLines {
		for _, a := range append(lineActions, NoAction, "bogus") {
			l := Line{State: lc.state, PendingAction: lc.pending}
			w := false
			for _, x := range want[lc] {
				w = w || x == a
			}
			if got := l.Needs(a); got != w {
				t.Errorf("line %s pending %q: Needs(%q) = %v, want %v", lc.state, lc.pending, a, got, w)
			}
		}
	}
}

func TestRequest(t *testing.T) {
	t.Parallel()
	type result struct {
		waits   bool
		pending LineAction
		touched bool
	}
	r := func(waits bool, pending LineAction, touched bool) result { return result{waits, pending, touched} }
	// By hand from states.md: a newer request replaces a pending one; a request that undoes a
	// pending one that was never carried out leaves nothing to do; terminated is final.
	want := map[lineCase]map[LineAction]result{
		{LinePending, NoAction}: {Suspend: r(false, NoAction, false), Enable: r(false, NoAction, false), Terminate: r(false, NoAction, false)},
		{LineActive, NoAction}:  {Suspend: r(true, Suspend, true), Enable: r(false, NoAction, false), Terminate: r(true, Terminate, true)},
		// The dispute ended before the suspension was done: enabling cancels it.
		{LineActive, Suspend}:     {Suspend: r(false, Suspend, false), Enable: r(false, NoAction, true), Terminate: r(true, Terminate, true)},
		{LineActive, Terminate}:   {Suspend: r(false, Terminate, false), Enable: r(false, Terminate, false), Terminate: r(false, Terminate, false)},
		{LineSuspended, NoAction}: {Suspend: r(false, NoAction, false), Enable: r(true, Enable, true), Terminate: r(true, Terminate, true)},
		// A new dispute opened before the line was enabled again: it simply stays suspended.
		{LineSuspended, Enable}:    {Suspend: r(false, NoAction, true), Enable: r(false, Enable, false), Terminate: r(true, Terminate, true)},
		{LineSuspended, Terminate}: {Suspend: r(false, Terminate, false), Enable: r(false, Terminate, false), Terminate: r(false, Terminate, false)},
		{LineTerminated, NoAction}: {Suspend: r(false, NoAction, false), Enable: r(false, NoAction, false), Terminate: r(false, NoAction, false)},
	}
	for _, lc := range reachableLines {
		for _, a := range lineActions {
			t.Run(fmt.Sprintf("%s/%s/%s", lc.state, lc.pending, a), func(t *testing.T) {
				t.Parallel()
				w := want[lc][a]
				l := Line{ID: "line_1", State: lc.state, PendingAction: lc.pending, UpdatedAt: t0}
				waits := l.Request(a, tNow)
				if waits != w.waits || l.PendingAction != w.pending || l.State != lc.state {
					t.Errorf("Request(%s) = %v, pending %q state %s; want %v, %q, %s", a, waits, l.PendingAction, l.State, w.waits, w.pending, lc.state)
				}
				if touched := l.UpdatedAt.Equal(tNow); touched != w.touched {
					t.Errorf("updated_at moved: %v, want %v", touched, w.touched)
				}
				// Whatever was requested, once the pending action is done the line is where the
				// last request wants it.
				if l.PendingAction != NoAction {
					if err := l.Done(l.PendingAction, tNow); err != nil {
						t.Fatal(err)
					}
				}
				if l.Needs(a) {
					t.Errorf("after Request(%s) and Done the line (%s) still needs it", a, l.State)
				}
			})
		}
	}
}

func TestDone(t *testing.T) {
	t.Parallel()
	for _, lc := range reachableLines {
		for _, a := range lineActions {
			t.Run(fmt.Sprintf("%s/%s/%s", lc.state, lc.pending, a), func(t *testing.T) {
				t.Parallel()
				l := Line{State: lc.state, PendingAction: lc.pending, UpdatedAt: t0}
				before := l
				err := l.Done(a, tNow)
				switch {
				case lc.pending == NoAction:
					wantInvalidState(t, err, string(lc.state))
				case lc.pending != a:
					wantFault(t, err, fault.Invalid, "action_mismatch", "action")
				default:
					if err != nil {
						t.Fatal(err)
					}
					wantState := map[LineAction]LineState{Suspend: LineSuspended, Enable: LineActive, Terminate: LineTerminated}[a]
					if l.State != wantState || l.PendingAction != NoAction || !l.UpdatedAt.Equal(tNow) {
						t.Errorf("line %+v; want state %s, nothing pending", l, wantState)
					}
					return
				}
				if l != before {
					t.Errorf("a refused Done changed the line: %+v", l)
				}
			})
		}
	}
}

func TestNeedsManualAction(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lines []Line
		want  bool
	}{
		{nil, false},
		{[]Line{{State: LineActive}, {State: LineSuspended}, {State: LineTerminated}}, false},
		{[]Line{{State: LineActive}, {State: LineActive, PendingAction: Suspend, Manual: true}}, true},
		{[]Line{{State: LineSuspended, PendingAction: Enable, Manual: true}}, true},
		{[]Line{{State: LineSuspended, PendingAction: Terminate, Manual: true}, {State: LineActive}}, true},
		// a panel at work on it is not a manual action
		{[]Line{{State: LineActive, PendingAction: Suspend}}, false},
	}
	for i, tt := range tests {
		if got := NeedsManualAction(tt.lines); got != tt.want {
			t.Errorf("case %d: NeedsManualAction = %v, want %v", i, got, tt.want)
		}
	}
}

// TestLineLifecycle walks the lines of an order through a dispute that the merchant wins, then
// one that the customer wins.
func TestLineLifecycle(t *testing.T) {
	t.Parallel()
	_, lines := fixture(t, Completed)
	step := func(a LineAction, doneFor ...int) {
		t.Helper()
		for i := range lines {
			if lines[i].Request(a, tNow) && i == 1 {
				lines[i].HandOver("panel is manual", tNow)
			}
		}
		for _, i := range doneFor {
			if err := lines[i].Done(a, tNow); err != nil {
				t.Fatalf("Done(%s) on line %d: %v", a, i, err)
			}
		}
	}
	step(Suspend, 0) // the first panel can toggle, the second needs an admin
	if lines[0].State != LineSuspended || lines[1].PendingAction != Suspend || !NeedsManualAction(lines) {
		t.Fatalf("after suspend: %+v", lines)
	}
	step(ActionForOutcome(dispute.OutcomeMerchant, false), 0) // won before the admin suspended line 1
	if lines[0].State != LineActive || lines[1].State != LineActive || lines[1].PendingAction != NoAction || NeedsManualAction(lines) {
		t.Fatalf("after win: %+v", lines)
	}
	step(Suspend, 0, 1)
	step(ActionForOutcome(dispute.OutcomeCustomer, false), 0)
	if lines[0].State != LineTerminated || lines[1].PendingAction != Terminate || !NeedsManualAction(lines) {
		t.Fatalf("after loss: %+v", lines)
	}
	step(Enable) // terminated is final
	if err := lines[1].Done(Terminate, tNow); err != nil {
		t.Fatal(err)
	}
	if lines[1].State != LineTerminated || NeedsManualAction(lines) {
		t.Fatalf("at the end: %+v", lines)
	}
}

func TestHandOver(t *testing.T) {
	t.Parallel()
	l := Line{State: LineActive}
	if l.HandOver("why", tNow) {
		t.Fatal("handed over a line with nothing pending")
	}
	l.Request(Suspend, tNow)
	if !l.HandOver("panel xui failed", tNow) || !l.Manual || l.PendingReason != "panel xui failed" {
		t.Fatalf("after HandOver: %+v", l)
	}
	if l.HandOver("again", tNow) || l.PendingReason != "panel xui failed" {
		t.Fatalf("a second HandOver changed the line: %+v", l)
	}
	l.Request(Terminate, tNow) // a newer request is the panel's again until decided otherwise
	if l.Manual || l.PendingReason != "" || l.PendingAction != Terminate {
		t.Fatalf("a new request kept the hand-over: %+v", l)
	}
	if err := l.Done(Terminate, tNow); err != nil || l.Manual || l.State != LineTerminated {
		t.Fatalf("after Done: %+v %v", l, err)
	}
}

// TestCarried: the panel may finish an action after a newer request replaced it; the line
// follows what the panel did, and asks again for what brings it back where it should be.
func TestCarried(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		line      Line
		did       LineAction
		wantState LineState
		wantPend  LineAction
		redo      LineAction
	}{
		{"the pending action", Line{State: LineActive, PendingAction: Suspend}, Suspend, LineSuspended, NoAction, NoAction},
		{"suspended after the dispute was won", Line{State: LineActive}, Suspend, LineSuspended, NoAction, Enable},
		{"enabled after a new dispute opened", Line{State: LineSuspended}, Enable, LineActive, NoAction, Suspend},
		{"suspended while a termination waits", Line{State: LineActive, PendingAction: Terminate}, Suspend, LineSuspended, Terminate, NoAction},
		{"terminated while an enable waits", Line{State: LineSuspended, PendingAction: Enable}, Terminate, LineTerminated, NoAction, NoAction},
		{"terminated stays terminated", Line{State: LineTerminated}, Enable, LineTerminated, NoAction, NoAction},
		{"already where it is", Line{State: LineSuspended}, Suspend, LineSuspended, NoAction, NoAction},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := tt.line
			redo := l.Carried(tt.did, tNow)
			if l.State != tt.wantState || l.PendingAction != tt.wantPend || redo != tt.redo {
				t.Fatalf("got state %s, pending %q, redo %q; want %s, %q, %q", l.State, l.PendingAction, redo, tt.wantState, tt.wantPend, tt.redo)
			}
		})
	}
}
