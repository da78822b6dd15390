package dispute

import (
	"time"

	"disputed/internal/actor"
)

// Report is what a payment provider says of one of its disputes; zero values mean "not said".
type Report struct {
	Status            Status
	Stage             Stage
	Reason            string
	NetworkReasonCode string
	DueBy             time.Time
	FundsWithdrawn    bool // the network took the disputed funds
	FundsReinstated   bool // the network gave them back
}

// Follow brings the dispute to where the provider says it is. The provider decides a
// card-network dispute, so its word moves the status along the machine (evidence submitted,
// escalation, the decision) with the same effects as when an admin records it; a status the
// machine cannot reach from here (an older report arriving late, a provider's own detour) changes
// nothing. An ended dispute never changes. It returns the changes in order; none when the report
// says nothing new.
func (d *Dispute) Follow(r Report, by actor.Actor, now time.Time) []Change {
	if Ended(d.Status) || !d.Type.networkLike() && d.Type != Alert {
		return nil
	}
	var out []Change
	if c, ok := d.followFields(r, now); ok {
		out = append(out, c)
	}
	// Money the provider reports moved is recorded by a change with no action of its own: the
	// record of the money is the timeline entry.
	if r.FundsWithdrawn {
		out = append(out, Change{From: d.Status, To: d.Status, Withdraw: true})
	}
	if r.Status != "" && r.Status != d.Status {
		out = append(out, d.followStatus(r.Status, by, now)...)
	}
	if r.FundsReinstated && d.Status != Lost {
		out = append(out, Change{From: d.Status, To: d.Status, Reinstate: true})
	}
	return out
}

// followFields takes the due date, stage and reason the provider reports.
func (d *Dispute) followFields(r Report, now time.Time) (Change, bool) {
	changed := false
	if !r.DueBy.IsZero() && !r.DueBy.Equal(d.DueBy) {
		d.DueBy, changed = r.DueBy, true
	}
	if r.Stage != "" && r.Stage != d.Stage && d.Type != Alert {
		d.Stage, changed = r.Stage, true
	}
	if r.Reason != "" && r.Reason != d.Reason {
		d.Reason, changed = r.Reason, true
	}
	if r.NetworkReasonCode != "" && r.NetworkReasonCode != d.NetworkReasonCode {
		d.NetworkReasonCode, changed = r.NetworkReasonCode, true
	}
	if !changed {
		return Change{}, false
	}
	d.touch(now)
	return Change{Action: "updated", From: d.Status, To: d.Status, Note: "reported by the provider", Events: []string{"dispute.updated"}}, true
}

// followStatus moves to the reported status when the machine allows it: an inquiry reported in a
// chargeback status escalates first.
func (d *Dispute) followStatus(to Status, by actor.Actor, now time.Time) []Change {
	var out []Change
	if d.Type == Inquiry && (to == NeedsResponse || to == UnderReview || to == Won || to == Lost) {
		c, err := d.Move(NeedsResponse, "escalated by the provider", now)
		if err != nil {
			return nil
		}
		out = append(out, c)
		if to == NeedsResponse {
			return out
		}
	}
	switch {
	case to == Won || to == Lost || to == WarningClosed:
		if (to == WarningClosed) != (d.Type == Inquiry) || !CanResolve(d.Type, d.Status) {
			return out
		}
		res := ResolutionWon // an inquiry won closes as warning_closed
		if to == Lost {
			res = ResolutionLost
		}
		if c, err := d.Resolve(ResolveParams{Resolution: res, Notes: "decided by the provider", By: by, Now: now}); err == nil {
			out = append(out, c)
		}
	case to == UnderReview && d.Status == NeedsResponse, to == WarningUnderReview && d.Status == WarningNeedsResponse:
		// Evidence went in at the provider (through us, or on its own dashboard).
		from := d.Status
		d.Status = to
		d.settleSubmission(now)
		d.touch(now)
		out = append(out, Change{Action: "submitted", From: from, To: to, Note: "reported by the provider", Events: []string{"dispute.submitted"}})
	case CanMove(d.Type, d.Status, to):
		if c, err := d.Move(to, "reported by the provider", now); err == nil {
			out = append(out, c)
		}
	}
	return out
}
