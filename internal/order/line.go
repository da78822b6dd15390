package order

import (
	"time"

	"disputed/internal/dispute"
	"disputed/internal/fault"
)

// LineState is where a service line stands on its panel.
type LineState string

// Line states: pending until the order completes, then active ⇄ suspended → terminated (final).
const (
	LinePending    LineState = "pending"
	LineActive     LineState = "active"
	LineSuspended  LineState = "suspended"
	LineTerminated LineState = "terminated"
)

// LineAction is what must be done to a line on its panel.
type LineAction string

// Line actions.
const (
	NoAction  LineAction = ""
	Suspend   LineAction = "suspend"
	Enable    LineAction = "enable"
	Terminate LineAction = "terminate"
)

// Line is a service activation sold by an order item.
type Line struct {
	ID            string
	OrderID       string
	Item          int
	Panel         string
	ExternalID    string
	State         LineState
	PendingAction LineAction // an action that waits to be done (by the panel, or confirmed by an admin)
	Manual        bool       // the pending action waits for an admin: the panel cannot do it, or gave up
	PendingReason string     // why the pending action waits for an admin
	Revision      int64      // optimistic concurrency: bumped by the store on every write
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// ParseLineAction reads an action name.
func ParseLineAction(s string) (LineAction, error) {
	switch a := LineAction(s); a {
	case Suspend, Enable, Terminate:
		return a, nil
	}
	return NoAction, fault.Invalidf(fault.CodeInvalidValue, "action", "action must be suspend, enable or terminate")
}

// ActionForOutcome is what an ended dispute means for the order's lines: enabled again when the
// merchant kept the sale, terminated when the customer got their money back, and for a
// compromise enabled unless the resolution says to terminate them.
func ActionForOutcome(o dispute.Outcome, terminateLines bool) LineAction {
	switch o {
	case dispute.OutcomeMerchant:
		return Enable
	case dispute.OutcomeCustomer:
		return Terminate
	case dispute.OutcomeCompromise:
		if terminateLines {
			return Terminate
		}
		return Enable
	}
	return NoAction
}

// Needs reports whether action would change the line, counting an action already pending.
func (l *Line) Needs(a LineAction) bool {
	state := l.State
	switch l.PendingAction {
	case Suspend:
		state = LineSuspended
	case Enable:
		state = LineActive
	case Terminate:
		state = LineTerminated
	}
	switch a {
	case Suspend:
		return state == LineActive
	case Enable:
		return state == LineSuspended
	case Terminate:
		return state != LineTerminated && state != LinePending
	}
	return false
}

// Request asks for action to be done. A newer request replaces one still pending (a dispute may
// end before its suspension was carried out: then nothing is left to do, or the line must go).
// It reports whether the line now waits for something.
func (l *Line) Request(a LineAction, now time.Time) bool {
	if !l.Needs(a) {
		return false
	}
	l.PendingAction, l.Manual, l.PendingReason = a, false, ""
	// The request undoes one that was never carried out (a suspension, or an enabling of a
	// suspended line): the line already is where it should be, nothing is left to do.
	if (a == Enable && l.State == LineActive) || (a == Suspend && l.State == LineSuspended) {
		l.PendingAction = NoAction
	}
	if l.PendingAction == Terminate && l.State == LinePending {
		l.PendingAction = NoAction
	}
	l.UpdatedAt = now
	return l.PendingAction != NoAction
}

// Done records that the pending action a was carried out (by the panel, or by hand and confirmed).
func (l *Line) Done(a LineAction, now time.Time) error {
	if l.PendingAction != a {
		if l.PendingAction == NoAction {
			return fault.InvalidState(string(l.State), string(a)+" the line: no action is pending")
		}
		return fault.Invalidf(fault.CodeActionMismatch, "action", "the pending action is %s, not %s", l.PendingAction, a)
	}
	l.State = stateAfter(a)
	l.PendingAction, l.Manual, l.PendingReason, l.UpdatedAt = NoAction, false, "", now
	return nil
}

// HandOver makes the pending action wait for an admin to do it by hand and confirm it: the
// panel cannot do it, or gave up. It reports whether anything changed.
func (l *Line) HandOver(reason string, now time.Time) bool {
	if l.PendingAction == NoAction || l.Manual {
		return false
	}
	l.Manual, l.PendingReason, l.UpdatedAt = true, reason, now
	return true
}

// Carried records that the panel carried out a, which may no longer be the pending action: a
// newer request can replace it while the panel is at work. The line's state follows what the
// panel did (a terminated line stays terminated). When that moved the line away from where it
// should be, the action that brings it back is returned, to be requested again.
func (l *Line) Carried(a LineAction, now time.Time) (redo LineAction) {
	if l.PendingAction == a {
		_ = l.Done(a, now) // cannot fail: a is the pending action
		return NoAction
	}
	if l.State == LineTerminated {
		return NoAction
	}
	wanted := l.State
	l.State, l.UpdatedAt = stateAfter(a), now
	switch {
	case l.State == LineTerminated:
		l.PendingAction, l.Manual, l.PendingReason = NoAction, false, "" // final: nothing else can be done
		return NoAction
	case l.PendingAction != NoAction || l.State == wanted:
		return NoAction // the pending action still leads where the line should be
	case wanted == LineActive:
		return Enable
	}
	return Suspend
}

func stateAfter(a LineAction) LineState {
	switch a {
	case Suspend:
		return LineSuspended
	case Terminate:
		return LineTerminated
	}
	return LineActive
}

// Past is the word for a done action: suspended, enabled, terminated.
func (a LineAction) Past() string {
	switch a {
	case Suspend:
		return "suspended"
	case Enable:
		return "enabled"
	case Terminate:
		return "terminated"
	}
	return ""
}

// NeedsManualAction reports whether any line waits for an admin to confirm an action.
func NeedsManualAction(lines []Line) bool {
	for _, l := range lines {
		if l.PendingAction != NoAction && l.Manual {
			return true
		}
	}
	return false
}
