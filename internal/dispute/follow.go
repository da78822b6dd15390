package dispute

import (
	"strings"
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
	// AmountRefunded is what the provider refunded the buyer when it decided against the
	// merchant (PayPal's dispute_outcome.amount_refunded), in minor units of the dispute's
	// currency: the loss is that much, which may be less than the amount disputed.
	AmountRefunded   int64
	Fees             []Fee             // what the provider charged or gave back for the dispute
	Evidence         map[string]string // the evidence the provider holds (our field names)
	HasEvidence      bool              // the provider says it holds evidence
	SubmissionCount  int               // how many times the provider has received evidence
	SellerProtection SellerProtection
	Network          string
}

// Follow brings the dispute to where the provider says it is. The provider decides a
// card-network dispute, so its word moves the status along the machine (evidence submitted,
// escalation, the decision) with the same effects as when an admin records it; a status the
// machine cannot reach from here (an older report arriving late, a provider's own detour) changes
// nothing. An ended dispute changes no more, except to record the fees the provider reports
// (Stripe gives the dispute fee back after the merchant won). It returns the changes in order;
// none when the report says nothing new.
func (d *Dispute) Follow(r Report, by actor.Actor, now time.Time) []Change {
	if !d.Type.networkLike() && d.Type != Alert {
		return nil
	}
	if Ended(d.Status) {
		if !d.addFees(r.Fees) {
			return nil
		}
		d.touch(now)
		return []Change{{Action: "updated", From: d.Status, To: d.Status, Note: "fees reported by the provider", Events: []string{"dispute.updated"}}}
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
		out = append(out, d.followStatus(r, by, now)...)
	}
	if r.FundsReinstated && d.Status != Lost {
		out = append(out, Change{From: d.Status, To: d.Status, Reinstate: true})
	}
	return out
}

// followFields takes the due date, stage, reason, fees, evidence, whether it holds evidence and
// the submission count the provider reports. The provider's count of submissions is shown when
// it is higher: evidence can reach the provider without us (its dashboard), never the other way
// round.
func (d *Dispute) followFields(r Report, now time.Time) (Change, bool) {
	changed := d.addFees(r.Fees)
	note := "reported by the provider"
	if taken := d.takeProviderEvidence(r.Evidence); len(taken) > 0 {
		note += "; the evidence it holds, kept: " + strings.Join(taken, ", ")
		changed = true
	}
	if r.HasEvidence != d.ProviderHasEvidence {
		d.ProviderHasEvidence, changed = r.HasEvidence, true
	}
	if r.SubmissionCount > d.SubmissionCount {
		d.SubmissionCount, changed = r.SubmissionCount, true
	}
	if !r.DueBy.IsZero() && !r.DueBy.Equal(d.DueBy) {
		d.DueBy, changed = r.DueBy, true
	}
	if r.Stage != "" && r.Stage != d.Stage && d.Type != Alert {
		d.Stage, changed = r.Stage, true
	}
	if r.Reason != "" && r.Reason != d.Reason {
		d.Reason, changed = r.Reason, true
	}
	if r.SellerProtection != "" && r.SellerProtection != d.SellerProtection {
		d.SellerProtection, changed = r.SellerProtection, true
	}
	if r.Network != "" && r.Network != d.Network {
		d.Network, changed = r.Network, true
	}
	if r.NetworkReasonCode != "" && r.NetworkReasonCode != d.NetworkReasonCode {
		d.NetworkReasonCode, changed = r.NetworkReasonCode, true
	}
	if !changed {
		return Change{}, false
	}
	d.touch(now)
	return Change{Action: "updated", From: d.Status, To: d.Status, Note: note, Events: []string{"dispute.updated"}}, true
}

// followStatus moves to the reported status when the machine allows it: an inquiry reported in a
// chargeback status escalates first.
func (d *Dispute) followStatus(r Report, by actor.Actor, now time.Time) []Change {
	to := r.Status
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
			if c.Withdraw && r.AmountRefunded > 0 {
				c.WithdrawAmount = min(r.AmountRefunded, d.Amount)
			}
			out = append(out, c)
		}
	case r.Stage != "" && (to == NeedsResponse && d.Status == UnderReview || to == WarningNeedsResponse && d.Status == WarningUnderReview):
		// The provider turns to the merchant again at the stage it names, which followFields
		// took: PayPal asking the seller once the buyer answered, or a next stage it reports.
		// Moving up a stage more on top would be our guess against its word.
		from := d.Status
		d.Status = to
		d.settleSubmission(now) // a new answer is asked for
		d.touch(now)
		out = append(out, Change{Action: "status_changed", From: from, To: to, Note: "the provider asks for the merchant's response",
			Events: []string{"dispute.status_changed"}})
	case to == UnderReview && d.Status == NeedsResponse, to == WarningUnderReview && d.Status == WarningNeedsResponse:
		// Evidence went in at the provider (through us, or on its own dashboard).
		from, counted := d.Status, d.SubmissionCount
		d.Status = to
		d.defend(by.String(), now)
		d.settleSubmission(now)
		if r.SubmissionCount > 0 {
			d.SubmissionCount = counted // the provider's count, which followFields took, has our push in it
		}
		d.touch(now)
		out = append(out, Change{Action: "submitted", From: from, To: to, Note: "reported by the provider", Events: []string{"dispute.submitted"}})
	case CanMove(d.Type, d.Status, to):
		if c, err := d.Move(to, "reported by the provider", now); err == nil {
			out = append(out, c)
		}
	}
	return out
}
