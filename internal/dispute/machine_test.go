package dispute

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"disputed/internal/fault"
)

func TestStatuses(t *testing.T) {
	t.Parallel()
	for _, typ := range Types {
		if got := Statuses(typ); !slices.Equal(got, wantStatuses[typ]) {
			t.Errorf("Statuses(%s) = %v, want %v", typ, got, wantStatuses[typ])
		}
	}
	if got := Statuses("bogus"); got != nil {
		t.Errorf("Statuses(bogus) = %v, want nil", got)
	}
	if !slices.Equal(Types, []Type{"chargeback", "inquiry", "alert", "marketplace", "manual"}) {
		t.Errorf("Types = %v", Types)
	}
}

// TestCanMove checks every (type, from, to) over all statuses against the hand-written table.
func TestCanMove(t *testing.T) {
	t.Parallel()
	for _, typ := range append(slices.Clone(Types), "bogus") {
		for _, from := range allStatuses {
			for _, to := range allStatuses {
				want := wantMoves[typ][pair{from, to}]
				if got := CanMove(typ, from, to); got != want {
					t.Errorf("CanMove(%s, %s, %s) = %v, want %v", typ, from, to, got, want)
				}
			}
		}
	}
}

func TestCanResolve(t *testing.T) {
	t.Parallel()
	for _, typ := range Types {
		for _, s := range allStatuses {
			want := slices.Contains(wantResolvable[typ], s)
			if got := CanResolve(typ, s); got != want {
				t.Errorf("CanResolve(%s, %s) = %v, want %v", typ, s, got, want)
			}
		}
	}
}

func TestEndedFinal(t *testing.T) {
	t.Parallel()
	for _, s := range allStatuses {
		wantEnded, wantFinal := slices.Contains(endedStatuses, s), slices.Contains(finalStatuses, s)
		if got := Ended(s); got != wantEnded {
			t.Errorf("Ended(%s) = %v, want %v", s, got, wantEnded)
		}
		if got := Final(s); got != wantFinal {
			t.Errorf("Final(%s) = %v, want %v", s, got, wantFinal)
		}
		d := Dispute{Status: s}
		if d.IsOpen() == wantEnded {
			t.Errorf("IsOpen() in %s = %v", s, d.IsOpen())
		}
	}
}

func TestInitialStatusAndResolutions(t *testing.T) {
	t.Parallel()
	want := map[Type]Status{Chargeback: NeedsResponse, Manual: NeedsResponse, Inquiry: WarningNeedsResponse, Alert: Open, Marketplace: Open}
	for _, typ := range Types {
		if initial[typ] != want[typ] {
			t.Errorf("initial[%s] = %s, want %s", typ, initial[typ], want[typ])
		}
		if got := Resolutions(typ); !slices.Equal(got, wantResolutions[typ]) {
			t.Errorf("Resolutions(%s) = %v, want %v", typ, got, wantResolutions[typ])
		}
	}
	if got := Resolutions("bogus"); got != nil {
		t.Errorf("Resolutions(bogus) = %v, want nil", got)
	}
}

// TestMove tries every (from, to) in Statuses(t) × Statuses(t), plus needs_response for an
// inquiry's escalation, for every type.
func TestMove(t *testing.T) {
	t.Parallel()
	for _, typ := range Types {
		targets := Statuses(typ)
		if typ == Inquiry {
			targets = append(slices.Clone(targets), NeedsResponse)
		}
		for _, from := range Statuses(typ) {
			for _, to := range targets {
				t.Run(fmt.Sprintf("%s/%s->%s", typ, from, to), func(t *testing.T) {
					t.Parallel()
					d := fixture(t, typ, from)
					before := snapshot(d)
					allowed := wantMoves[typ][pair{from, to}]
					if got := CanMove(typ, from, to); got != allowed {
						t.Errorf("CanMove = %v, want %v", got, allowed)
					}
					c, err := d.Move(to, "  a note  ", tNow)
					switch {
					case allowed:
						if err != nil {
							t.Fatalf("Move: %v", err)
						}
						if d.Status != to || c.From != from || c.To != to {
							t.Errorf("status %s, change %s->%s; want %s, %s->%s", d.Status, c.From, c.To, to, from, to)
						}
						if d.Revision != before.Revision+1 || !d.UpdatedAt.Equal(tNow) {
							t.Errorf("revision %d updated %v; want %d, %v", d.Revision, d.UpdatedAt, before.Revision+1, tNow)
						}
						if c.Note != "a note" || !slices.Equal(c.Events, []string{"dispute.status_changed"}) {
							t.Errorf("change note %q events %v", c.Note, c.Events)
						}
						if c.Withdraw || c.Reinstate || c.RefundRemaining || c.RefundAmount != 0 || c.Outcome != OutcomeNone {
							t.Errorf("a move has money or line effects: %+v", c)
						}
						wantType, wantStage, wantAction := typ, before.Stage, "status_changed"
						switch {
						case typ == Inquiry && to == NeedsResponse:
							wantType, wantStage, wantAction = Chargeback, StageChargeback, "escalated"
						case from == UnderReview && to == NeedsResponse:
							wantStage, wantAction = StagePreArbitration, "escalated"
						}
						if d.Type != wantType || d.Stage != wantStage || c.Action != wantAction {
							t.Errorf("type %s stage %q action %q; want %s %q %q", d.Type, d.Stage, c.Action, wantType, wantStage, wantAction)
						}
					case slices.Contains(wantResolvable[typ], from) && slices.Contains(resolutionTargets, to):
						fe := wantFault(t, err, fault.Invalid, "use_resolve", "status")
						if !strings.Contains(fe.Message, string(to)) {
							t.Errorf("message %q does not name %s", fe.Message, to)
						}
						assertUnchanged(t, before, d)
					default:
						wantInvalidState(t, err, from)
						assertUnchanged(t, before, d)
					}
				})
			}
		}
	}
}

func TestMoveUnknownTargetAndLongNote(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ   Type
		from  Status
		to    Status
		note  string
		code  string
		param string
	}{
		{Chargeback, NeedsResponse, Open, "", "invalid_value", "status"},
		{Chargeback, NeedsResponse, WarningUnderReview, "", "invalid_value", "status"},
		{Alert, Open, PendingReview, "", "invalid_value", "status"},
		{Marketplace, Open, UnderReview, "", "invalid_value", "status"},
		{Marketplace, Open, "bogus", "", "invalid_value", "status"},
		{Inquiry, WarningNeedsResponse, UnderReview, "", "invalid_value", "status"},
		{Chargeback, NeedsResponse, UnderReview, strings.Repeat("x", 5001), "invalid_value", "note"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s->%s", tt.typ, tt.from, tt.to), func(t *testing.T) {
			t.Parallel()
			d := fixture(t, tt.typ, tt.from)
			before := snapshot(d)
			_, err := d.Move(tt.to, tt.note, tNow)
			wantFault(t, err, fault.Invalid, tt.code, tt.param)
			assertUnchanged(t, before, d)
		})
	}
}

// TestMoveStages follows a chargeback through every stage and checks that it stops at
// arbitration.
func TestMoveStages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ       Type
		stage     Stage
		wantStage Stage // "" when the escalation is refused
	}{
		{Chargeback, StageChargeback, StagePreArbitration},
		{Chargeback, StagePreArbitration, StageArbitration},
		{Chargeback, StageArbitration, ""},
		{Manual, "", StagePreArbitration},
		{Manual, StageArbitration, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s", tt.typ, tt.stage), func(t *testing.T) {
			t.Parallel()
			d := fixture(t, tt.typ, UnderReview)
			d.Stage = tt.stage
			before := snapshot(d)
			c, err := d.Move(NeedsResponse, "", tNow)
			if tt.wantStage == "" {
				fe := wantFault(t, err, fault.Conflict, "invalid_state", "status")
				if !strings.Contains(fe.Message, "arbitration") {
					t.Errorf("message %q does not mention arbitration", fe.Message)
				}
				assertUnchanged(t, before, d)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Stage != tt.wantStage || d.Status != NeedsResponse || c.Action != "escalated" || d.Type != tt.typ {
				t.Errorf("stage %s status %s action %s type %s; want %s needs_response escalated %s", d.Stage, d.Status, c.Action, d.Type, tt.wantStage, tt.typ)
			}
		})
	}

	// The whole way: inquiry → chargeback → pre_arbitration → arbitration, then no further.
	d := fixture(t, Inquiry, WarningNeedsResponse)
	steps := []struct {
		to    Status
		typ   Type
		stage Stage
	}{
		{WarningUnderReview, Inquiry, StageInquiry},
		{NeedsResponse, Chargeback, StageChargeback},
		{UnderReview, Chargeback, StageChargeback},
		{NeedsResponse, Chargeback, StagePreArbitration},
		{UnderReview, Chargeback, StagePreArbitration},
		{NeedsResponse, Chargeback, StageArbitration},
		{UnderReview, Chargeback, StageArbitration},
	}
	for i, s := range steps {
		if _, err := d.Move(s.to, "", tNow); err != nil {
			t.Fatalf("step %d to %s: %v", i, s.to, err)
		}
		if d.Status != s.to || d.Type != s.typ || d.Stage != s.stage || d.Revision != int64(i+2) {
			t.Fatalf("step %d: %s %s %s rev %d; want %s %s %s rev %d", i, d.Status, d.Type, d.Stage, d.Revision, s.to, s.typ, s.stage, i+2)
		}
	}
	if _, err := d.Move(NeedsResponse, "", tNow); fault.Code(err) != "invalid_state" {
		t.Errorf("escalating beyond arbitration: %v, want invalid_state", err)
	}
}
