package dispute

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
)

// effect is what a resolution does, written out from states.md.
type effect struct {
	status          Status
	outcome         Outcome
	withdraw        bool
	reinstate       bool
	refundRemaining bool
	refundAmount    bool // refund exactly RefundAmount
	lossRefund      bool // an external refund of the disputed amount, capped at what is left
}

func wantEffect(typ Type, r Resolution) effect {
	switch r {
	case "won":
		if typ == Inquiry { // an inquiry is not a withdrawal: nothing to reinstate
			return effect{status: WarningClosed, outcome: OutcomeMerchant}
		}
		return effect{status: Won, outcome: OutcomeMerchant, reinstate: true}
	case "lost":
		if typ == Manual { // the merchant's own record: no network withdrawal, the customer was refunded
			return effect{status: Lost, outcome: OutcomeCustomer, lossRefund: true}
		}
		return effect{status: Lost, outcome: OutcomeCustomer, withdraw: true}
	case "issued_full_refund", "issued_refund_for_remaining_amount":
		return effect{status: Resolved, outcome: OutcomeCustomer, refundRemaining: true}
	case "previously_refunded_nothing_to_do":
		return effect{status: Resolved, outcome: OutcomeCustomer}
	case "could_not_find_order", "declined_or_canceled_nothing_to_do", "3ds_authorized_successfully",
		"unable_to_refund_merchant_account_closed", "other", "favor_vendor":
		return effect{status: Resolved, outcome: OutcomeMerchant}
	case "full_refund", "favor_buyer":
		return effect{status: Resolved, outcome: OutcomeCustomer, refundRemaining: true}
	case "partial_refund":
		return effect{status: Resolved, outcome: OutcomeCompromise, refundAmount: true}
	case "mutual_agreement":
		return effect{status: Resolved, outcome: OutcomeCompromise}
	}
	panic("no expected effect for " + string(r))
}

// allResolutions is the union of every type's resolutions, plus voided (never a user's
// resolution) and an unknown string.
func allResolutions() []Resolution {
	var out []Resolution
	for _, typ := range Types {
		for _, r := range wantResolutions[typ] {
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return append(out, Voided, "bogus")
}

// TestResolve tries every type × resolution × status.
func TestResolve(t *testing.T) {
	t.Parallel()
	by := actor.Key("key_1", actor.Agent, "")
	for _, typ := range Types {
		for _, r := range allResolutions() {
			for _, from := range Statuses(typ) {
				t.Run(fmt.Sprintf("%s/%s/%s", typ, r, from), func(t *testing.T) {
					t.Parallel()
					d := fixture(t, typ, from)
					before := snapshot(d)
					p := ResolveParams{Resolution: r, Notes: " notes ", By: by, Now: tNow}
					if r == PartialRefund {
						p.RefundAmount = 2500
					}
					c, err := d.Resolve(p)
					switch {
					case !slices.Contains(wantResolutions[typ], r):
						fe := wantFault(t, err, fault.Invalid, "resolution_not_allowed", "resolution")
						if !strings.Contains(fe.Message, string(typ)) {
							t.Errorf("message %q does not name the type", fe.Message)
						}
						assertUnchanged(t, before, d)
						return
					case !slices.Contains(wantResolvable[typ], from):
						wantInvalidState(t, err, from)
						assertUnchanged(t, before, d)
						return
					}
					if err != nil {
						t.Fatalf("Resolve: %v", err)
					}
					w := wantEffect(typ, r)
					if d.Status != w.status || c.From != from || c.To != w.status || c.Action != "resolved" {
						t.Errorf("status %s change %s %s->%s; want %s resolved %s->%s", d.Status, c.Action, c.From, c.To, w.status, from, w.status)
					}
					if d.Resolution != r || d.ResolutionNotes != "notes" || c.Note != " notes " {
						t.Errorf("resolution %q notes %q change note %q", d.Resolution, d.ResolutionNotes, c.Note)
					}
					if d.ResolvedBy != "agent:key_1" || !d.ResolvedAt.Equal(tNow) || !d.UpdatedAt.Equal(tNow) {
						t.Errorf("resolved by %q at %v updated %v", d.ResolvedBy, d.ResolvedAt, d.UpdatedAt)
					}
					if d.Revision != before.Revision+1 {
						t.Errorf("revision %d, want %d", d.Revision, before.Revision+1)
					}
					wantAmount := int64(0)
					switch {
					case w.refundAmount:
						wantAmount = 2500
					case w.lossRefund:
						wantAmount = d.Amount
					}
					if c.Outcome != w.outcome || c.Withdraw != w.withdraw || c.Reinstate != w.reinstate ||
						c.RefundRemaining != w.refundRemaining || c.RefundAmount != wantAmount ||
						c.RefundExternal != w.lossRefund || c.RefundCapped != w.lossRefund || c.TerminateLines {
						t.Errorf("change %+v; want %+v, refund amount %d", c, w, wantAmount)
					}
					wantEvents := []string{"dispute.resolved"}
					if typ == Alert {
						wantEvents = []string{"alert.resolved"}
					}
					if !slices.Equal(c.Events, wantEvents) {
						t.Errorf("events %v, want %v", c.Events, wantEvents)
					}
					if d.IsOpen() {
						t.Error("a resolved dispute is still open")
					}
				})
			}
		}
	}
}

func TestResolveValidation(t *testing.T) {
	t.Parallel()
	unmatchedAlert := func(t *testing.T) *Dispute {
		p := params(Alert)
		p.Charge, p.Amount, p.Currency = nil, 500, "USD"
		d, _, err := New(p)
		if err != nil {
			t.Fatal(err)
		}
		return &d
	}
	matched := func(typ Type, s Status) func(t *testing.T) *Dispute {
		return func(t *testing.T) *Dispute { return fixture(t, typ, s) }
	}
	tests := []struct {
		name    string
		setup   func(t *testing.T) *Dispute
		p       ResolveParams
		kind    fault.Kind
		code    string // "" when accepted
		param   string
		outcome Outcome
		term    bool
	}{
		{name: "empty resolution", setup: matched(Chargeback, UnderReview), p: ResolveParams{},
			kind: fault.Invalid, code: "parameter_missing", param: "resolution"},
		{name: "wrong kind beats wrong status", setup: matched(Chargeback, Won), p: ResolveParams{Resolution: IssuedFullRefund},
			kind: fault.Invalid, code: "resolution_not_allowed", param: "resolution"},
		{name: "alert resolution on chargeback", setup: matched(Chargeback, NeedsResponse), p: ResolveParams{Resolution: Other},
			kind: fault.Invalid, code: "resolution_not_allowed", param: "resolution"},
		{name: "won on alert", setup: matched(Alert, Open), p: ResolveParams{Resolution: ResolutionWon},
			kind: fault.Invalid, code: "resolution_not_allowed", param: "resolution"},
		{name: "lost on inquiry", setup: matched(Inquiry, WarningUnderReview), p: ResolveParams{Resolution: ResolutionLost},
			kind: fault.Invalid, code: "resolution_not_allowed", param: "resolution"},
		{name: "notes too long", setup: matched(Chargeback, UnderReview), p: ResolveParams{Resolution: ResolutionWon, Notes: strings.Repeat("n", 5001)},
			kind: fault.Invalid, code: "invalid_value", param: "notes"},
		{name: "notes at limit", setup: matched(Chargeback, UnderReview), p: ResolveParams{Resolution: ResolutionWon, Notes: strings.Repeat("n", 5000)},
			outcome: OutcomeMerchant},

		{name: "unmatched alert could_not_find_order", setup: unmatchedAlert, p: ResolveParams{Resolution: CouldNotFindOrder}, outcome: OutcomeMerchant},
		{name: "unmatched alert other", setup: unmatchedAlert, p: ResolveParams{Resolution: Other}, outcome: OutcomeMerchant},
		{name: "unmatched alert issued_full_refund", setup: unmatchedAlert, p: ResolveParams{Resolution: IssuedFullRefund},
			kind: fault.Invalid, code: "alert_unmatched", param: "resolution"},
		{name: "unmatched alert 3ds", setup: unmatchedAlert, p: ResolveParams{Resolution: ThreeDSAuthorizedSuccessfully},
			kind: fault.Invalid, code: "alert_unmatched", param: "resolution"},
		{name: "unmatched alert previously refunded", setup: unmatchedAlert, p: ResolveParams{Resolution: PreviouslyRefundedNothingToDo},
			kind: fault.Invalid, code: "alert_unmatched", param: "resolution"},

		{name: "partial_refund without amount", setup: matched(Marketplace, Escalated), p: ResolveParams{Resolution: PartialRefund},
			kind: fault.Invalid, code: "parameter_missing", param: "refund_amount"},
		{name: "partial_refund negative amount", setup: matched(Marketplace, Escalated), p: ResolveParams{Resolution: PartialRefund, RefundAmount: -1},
			kind: fault.Invalid, code: "parameter_missing", param: "refund_amount"},
		{name: "refund_amount on full_refund", setup: matched(Marketplace, Escalated), p: ResolveParams{Resolution: FullRefund, RefundAmount: 100},
			kind: fault.Invalid, code: "invalid_value", param: "refund_amount"},
		{name: "refund_amount on won", setup: matched(Chargeback, UnderReview), p: ResolveParams{Resolution: ResolutionWon, RefundAmount: 100},
			kind: fault.Invalid, code: "invalid_value", param: "refund_amount"},
		{name: "terminate_lines on partial_refund", setup: matched(Marketplace, PendingReview), p: ResolveParams{Resolution: PartialRefund, RefundAmount: 1, TerminateLines: true},
			outcome: OutcomeCompromise, term: true},
		{name: "terminate_lines on mutual_agreement", setup: matched(Marketplace, Escalated), p: ResolveParams{Resolution: MutualAgreement, TerminateLines: true},
			outcome: OutcomeCompromise, term: true},
		{name: "terminate_lines on favor_buyer", setup: matched(Marketplace, Escalated), p: ResolveParams{Resolution: FavorBuyer, TerminateLines: true},
			kind: fault.Invalid, code: "invalid_value", param: "terminate_lines"},
		{name: "terminate_lines on favor_vendor", setup: matched(Marketplace, Escalated), p: ResolveParams{Resolution: FavorVendor, TerminateLines: true},
			kind: fault.Invalid, code: "invalid_value", param: "terminate_lines"},
		{name: "terminate_lines on lost", setup: matched(Manual, NeedsResponse), p: ResolveParams{Resolution: ResolutionLost, TerminateLines: true},
			kind: fault.Invalid, code: "invalid_value", param: "terminate_lines"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := tt.setup(t)
			before := snapshot(d)
			tt.p.By, tt.p.Now = admin, tNow
			c, err := d.Resolve(tt.p)
			if tt.code != "" {
				wantFault(t, err, tt.kind, tt.code, tt.param)
				assertUnchanged(t, before, d)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Outcome != tt.outcome || c.TerminateLines != tt.term || d.Resolution != tt.p.Resolution {
				t.Errorf("outcome %q terminate %v resolution %q; want %q %v %q", c.Outcome, c.TerminateLines, d.Resolution, tt.outcome, tt.term, tt.p.Resolution)
			}
			if d.ResolvedBy != "admin:key_admin" {
				t.Errorf("resolved by %q", d.ResolvedBy)
			}
		})
	}
}

func TestAutoResolveRDR(t *testing.T) {
	t.Parallel()
	rdr := func(t *testing.T, matchedCharge bool, s Status) *Dispute {
		p := params(Alert)
		p.AlertType, p.Amount = RDR, 4000
		if !matchedCharge {
			p.Charge, p.Currency = nil, "USD"
		}
		d, _, err := New(p)
		if err != nil {
			t.Fatal(err)
		}
		d.Status = s
		return &d
	}
	tests := []struct {
		name  string
		setup func(t *testing.T) *Dispute
		ok    bool
	}{
		{"matched open rdr", func(t *testing.T) *Dispute { return rdr(t, true, Open) }, true},
		{"unmatched rdr", func(t *testing.T) *Dispute { return rdr(t, false, Open) }, false},
		{"resolved rdr", func(t *testing.T) *Dispute { return rdr(t, true, Resolved) }, false},
		{"closed rdr", func(t *testing.T) *Dispute { return rdr(t, true, Closed) }, false},
		{"ethoca alert", func(t *testing.T) *Dispute { return fixture(t, Alert, Open) }, false},
		{"chargeback", func(t *testing.T) *Dispute { return fixture(t, Chargeback, NeedsResponse) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := tt.setup(t)
			before := snapshot(d)
			c, ok := d.AutoResolveRDR(tNow)
			if ok != tt.ok {
				t.Fatalf("AutoResolveRDR = %v, want %v", ok, tt.ok)
			}
			if !ok {
				assertUnchanged(t, before, d)
				if c.Action != "" {
					t.Errorf("a refused auto-resolution returned %+v", c)
				}
				return
			}
			if d.Status != Resolved || d.Resolution != IssuedFullRefund || d.ResolvedBy != "system" || !d.ResolvedAt.Equal(tNow) || d.Revision != before.Revision+1 {
				t.Errorf("dispute %s %s by %q at %v rev %d", d.Status, d.Resolution, d.ResolvedBy, d.ResolvedAt, d.Revision)
			}
			if c.RefundRemaining || !c.RefundExternal || c.RefundAmount != 4000 || c.Outcome != OutcomeCustomer || c.Withdraw {
				t.Errorf("change %+v; want an external refund of 4000, customer outcome", c)
			}
			if !slices.Equal(c.Events, []string{"alert.resolved"}) || c.From != Open || c.To != Resolved {
				t.Errorf("change %+v", c)
			}
		})
	}
}

func TestCloseConcede(t *testing.T) {
	t.Parallel()
	by := actor.Key("key_9", actor.Admin, "")
	type want struct {
		kind  fault.Kind
		code  string // "" when accepted
		param string
		to    Status
	}
	var tests []struct {
		typ  Type
		from Status
		want want
	}
	add := func(typ Type, from Status, w want) {
		tests = append(tests, struct {
			typ  Type
			from Status
			want want
		}{typ, from, w})
	}
	for _, typ := range Types {
		for _, from := range Statuses(typ) {
			switch {
			case typ == Alert:
				add(typ, from, want{kind: fault.Invalid, code: "not_supported_for_type", param: "type"})
			case typ == Marketplace && from == Resolved:
				add(typ, from, want{to: Closed})
			case typ == Marketplace:
				add(typ, from, want{kind: fault.Conflict, code: "invalid_state", param: "status"})
			case from == NeedsResponse:
				add(typ, from, want{to: Lost})
			default:
				add(typ, from, want{kind: fault.Conflict, code: "invalid_state", param: "status"})
			}
		}
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s", tt.typ, tt.from), func(t *testing.T) {
			t.Parallel()
			d := fixture(t, tt.typ, tt.from)
			before := snapshot(d)
			c, err := d.Close(by, " gave up ", tNow)
			if tt.want.code != "" {
				wantFault(t, err, tt.want.kind, tt.want.code, tt.want.param)
				assertUnchanged(t, before, d)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Status != tt.want.to || c.From != tt.from || c.To != tt.want.to || d.Revision != before.Revision+1 {
				t.Errorf("status %s change %s->%s rev %d", d.Status, c.From, c.To, d.Revision)
			}
			if tt.want.to == Lost {
				if lossMoney(c) != lossMoney(wantLoss(d)) || c.Outcome != OutcomeCustomer || c.Action != "conceded" || d.Resolution != ResolutionLost ||
					d.ResolvedBy != "admin:key_9" || !d.ResolvedAt.Equal(tNow) || d.ResolutionNotes != "gave up" {
					t.Errorf("concession: dispute %+v change %+v", *d, c)
				}
				if !slices.Equal(c.Events, []string{"dispute.closed"}) {
					t.Errorf("events %v", c.Events)
				}
			} else if c.Withdraw || c.Outcome != OutcomeNone || d.Resolution != before.Resolution {
				t.Errorf("closing a resolved marketplace dispute changed its outcome: %+v", c)
			}
		})
	}
}

func TestExpire(t *testing.T) {
	t.Parallel()
	due := t0.Add(24 * time.Hour)
	past, before, at := due.Add(time.Second), due.Add(-time.Second), due
	type want struct {
		ok      bool
		to      Status
		outcome Outcome
		wd      bool
		refund  bool // an external refund of the disputed amount, capped at what is left
		event   string
	}
	tests := []struct {
		typ  Type
		from Status
		due  time.Time
		at   time.Time
		want want
	}{
		{Chargeback, NeedsResponse, due, past, want{true, Lost, OutcomeCustomer, true, false, "dispute.resolved"}},
		{Manual, NeedsResponse, due, past, want{true, Lost, OutcomeCustomer, false, true, "dispute.resolved"}},
		{Inquiry, WarningNeedsResponse, due, past, want{true, WarningClosed, OutcomeMerchant, false, false, "dispute.status_changed"}},
		{Marketplace, Open, due, past, want{true, PendingReview, OutcomeNone, false, false, "dispute.status_changed"}},
		// Not past due yet, or exactly at the deadline.
		{Chargeback, NeedsResponse, due, before, want{}},
		{Chargeback, NeedsResponse, due, at, want{}},
		{Inquiry, WarningNeedsResponse, due, before, want{}},
		{Marketplace, Open, due, before, want{}},
		// No due date at all.
		{Chargeback, NeedsResponse, time.Time{}, past, want{}},
		// The merchant (or party) has acted, or it is over.
		{Chargeback, UnderReview, due, past, want{}},
		{Manual, UnderReview, due, past, want{}},
		{Inquiry, WarningUnderReview, due, past, want{}},
		{Marketplace, PendingReview, due, past, want{}},
		{Marketplace, Escalated, due, past, want{}},
		{Marketplace, Resolved, due, past, want{}},
		{Alert, Open, due, past, want{}},
		{Chargeback, Won, due, past, want{}},
		{Chargeback, Lost, due, past, want{}},
		{Chargeback, Closed, due, past, want{}},
		{Inquiry, WarningClosed, due, past, want{}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s/%s", tt.typ, tt.from, tt.at.Sub(tt.due)), func(t *testing.T) {
			t.Parallel()
			d := fixture(t, tt.typ, tt.from)
			d.DueBy = tt.due
			snap := snapshot(d)
			c, ok := d.Expire(tt.at)
			if ok != tt.want.ok {
				t.Fatalf("Expire = %v, want %v", ok, tt.want.ok)
			}
			if !ok {
				assertUnchanged(t, snap, d)
				return
			}
			if d.Status != tt.want.to || c.From != tt.from || c.To != tt.want.to || c.Action != "expired" || d.Revision != snap.Revision+1 {
				t.Errorf("status %s change %s %s->%s rev %d", d.Status, c.Action, c.From, c.To, d.Revision)
			}
			if c.Outcome != tt.want.outcome || c.Withdraw != tt.want.wd || c.Reinstate || c.RefundRemaining || !slices.Equal(c.Events, []string{tt.want.event}) {
				t.Errorf("change %+v", c)
			}
			if refunds := c.RefundAmount == d.Amount && c.RefundExternal && c.RefundCapped; refunds != tt.want.refund || (!tt.want.refund && c.RefundAmount != 0) {
				t.Errorf("refund in change %+v, want refund %v", c, tt.want.refund)
			}
			if Ended(d.Status) {
				if d.ResolvedBy != "system" || !d.ResolvedAt.Equal(tt.at) {
					t.Errorf("resolved by %q at %v", d.ResolvedBy, d.ResolvedAt)
				}
			} else if d.ResolvedBy != "" || !d.ResolvedAt.IsZero() {
				t.Errorf("an open dispute has resolved by %q at %v", d.ResolvedBy, d.ResolvedAt)
			}
			wantRes := Resolution("")
			if tt.want.to == Lost {
				wantRes = ResolutionLost
			}
			if d.Resolution != wantRes {
				t.Errorf("resolution %q, want %q", d.Resolution, wantRes)
			}
		})
	}
}

func TestVoid(t *testing.T) {
	t.Parallel()
	by := actor.Key("key_2", actor.Admin, "")
	for _, typ := range Types {
		for _, from := range Statuses(typ) {
			t.Run(fmt.Sprintf("%s/%s", typ, from), func(t *testing.T) {
				t.Parallel()
				d := fixture(t, typ, from)
				before := snapshot(d)
				c, err := d.Void("order voided", by, tNow)
				if slices.Contains(endedStatuses, from) {
					wantInvalidState(t, err, from)
					assertUnchanged(t, before, d)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if d.Status != Closed || d.Resolution != Voided || d.ResolutionNotes != "order voided" || d.ResolvedBy != "admin:key_2" ||
					!d.ResolvedAt.Equal(tNow) || d.Revision != before.Revision+1 {
					t.Errorf("dispute after void: %+v", *d)
				}
				if c.Action != "closed" || c.From != from || c.To != Closed || c.Outcome != OutcomeCustomer || c.Withdraw || c.RefundRemaining ||
					!slices.Equal(c.Events, []string{"dispute.closed"}) {
					t.Errorf("change %+v", c)
				}
			})
		}
	}
}

// money is what a change moves, without its words.
type money struct {
	withdraw, reinstate, refundRemaining, refundExternal, refundCapped bool
	refundAmount                                                       int64
}

func lossMoney(c Change) money {
	return money{c.Withdraw, c.Reinstate, c.RefundRemaining, c.RefundExternal, c.RefundCapped, c.RefundAmount}
}

// wantLoss is the money a loss of d moves, written out from the rule: a network withdrawal, but
// for a manual dispute an external refund of its amount, capped at what is left.
func wantLoss(d *Dispute) Change {
	if d.Type == Manual {
		return Change{RefundAmount: d.Amount, RefundExternal: true, RefundCapped: true}
	}
	return Change{Withdraw: true}
}

// TestLossIsOneRule: a dispute lost by an admin's resolution, by a concession or by its due date
// moves the same money.
func TestLossIsOneRule(t *testing.T) {
	t.Parallel()
	by := actor.Key("key_1", actor.Admin, "")
	ways := map[string]func(d *Dispute) (Change, error){
		"resolved lost": func(d *Dispute) (Change, error) {
			return d.Resolve(ResolveParams{Resolution: ResolutionLost, By: by, Now: tNow})
		},
		"conceded": func(d *Dispute) (Change, error) { return d.Close(by, "", tNow) },
		"expired": func(d *Dispute) (Change, error) {
			c, ok := d.Expire(d.DueBy.Add(time.Second))
			if !ok {
				return c, fmt.Errorf("did not expire")
			}
			return c, nil
		},
	}
	for _, typ := range []Type{Chargeback, Manual} {
		for name, lose := range ways {
			d := fixture(t, typ, NeedsResponse)
			c, err := lose(d)
			if err != nil {
				t.Fatalf("%s %s: %v", typ, name, err)
			}
			if d.Status != Lost || lossMoney(c) != lossMoney(wantLoss(d)) {
				t.Errorf("%s %s: status %s, money %+v; want lost, %+v", typ, name, d.Status, lossMoney(c), lossMoney(wantLoss(d)))
			}
		}
	}
}
