package dispute

import (
	"slices"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
)

// ResolveParams is a decision on a dispute.
type ResolveParams struct {
	Resolution     Resolution
	RefundAmount   int64 // partial_refund only
	Notes          string
	TerminateLines bool // partial_refund and mutual_agreement only
	By             actor.Actor
	Now            time.Time
}

// Resolve records how the dispute ended. A resolution of another kind of dispute is invalid
// (422) whatever the status; a valid one at the wrong moment is an invalid state (409).
func (d *Dispute) Resolve(p ResolveParams) (Change, error) {
	if p.Resolution == "" {
		return Change{}, fault.Required("resolution")
	}
	if !slices.Contains(Resolutions(d.Type), p.Resolution) {
		return Change{}, fault.Invalidf(fault.CodeResolutionNotAllowed, "resolution",
			"%q is not a resolution of a %s dispute; use one of %s", p.Resolution, d.Type, joinResolutions(Resolutions(d.Type)))
	}
	if !CanResolve(d.Type, d.Status) {
		return Change{}, fault.InvalidState(string(d.Status), "resolve")
	}
	if len(p.Notes) > 5000 {
		return Change{}, fault.Invalidf(fault.CodeInvalidValue, "notes", "notes are longer than 5000 characters")
	}
	if d.Type == Alert && !d.Matched() && p.Resolution != CouldNotFindOrder && p.Resolution != Other {
		return Change{}, fault.Invalidf(fault.CodeAlertUnmatched, "resolution", "an unmatched alert can only resolve could_not_find_order or other")
	}
	if p.Resolution == PartialRefund {
		if p.RefundAmount <= 0 {
			return Change{}, fault.Invalidf(fault.CodeParameterMissing, "refund_amount", "partial_refund needs a positive refund_amount")
		}
	} else if p.RefundAmount != 0 {
		return Change{}, fault.Invalidf(fault.CodeInvalidValue, "refund_amount", "refund_amount applies to partial_refund only")
	}
	if p.TerminateLines && p.Resolution != PartialRefund && p.Resolution != MutualAgreement {
		return Change{}, fault.Invalidf(fault.CodeInvalidValue, "terminate_lines", "terminate_lines applies to partial_refund and mutual_agreement only")
	}
	from := d.Status
	c := Change{Action: "resolved", From: from, Note: p.Notes, TerminateLines: p.TerminateLines}
	switch p.Resolution {
	case ResolutionWon:
		d.Status, c.Reinstate = Won, true
		if d.Type == Inquiry {
			d.Status, c.Reinstate = WarningClosed, false
		}
	case ResolutionLost:
		d.Status = Lost
		d.lose(&c)
	case IssuedFullRefund, IssuedRefundForRemainingAmount:
		d.Status, c.RefundRemaining = Resolved, true
	case PreviouslyRefundedNothingToDo:
		d.Status = Resolved
	case FullRefund, FavorBuyer:
		d.Status, c.RefundRemaining = Resolved, true
	case PartialRefund:
		d.Status, c.RefundAmount = Resolved, p.RefundAmount
	default: // mutual_agreement, favor_vendor and the alert explanations
		d.Status = Resolved
	}
	d.Resolution, d.ResolutionNotes = p.Resolution, strings.TrimSpace(p.Notes)
	d.ResolvedBy, d.ResolvedAt = p.By.String(), p.Now
	d.touch(p.Now)
	c.To, c.Outcome = d.Status, d.Outcome()
	c.Events = []string{"dispute.resolved"}
	if d.Type == Alert {
		c.Events = []string{"alert.resolved"}
	}
	return c, nil
}

// AutoResolveRDR resolves a matched RDR alert: the network has already refunded the cardholder,
// so the disputed amount is recorded as an external refund. It reports false when the dispute is
// not an open, matched RDR alert.
func (d *Dispute) AutoResolveRDR(now time.Time) (Change, bool) {
	if d.Type != Alert || d.AlertType != RDR || !d.Matched() || d.Status != Open {
		return Change{}, false
	}
	c, err := d.Resolve(ResolveParams{Resolution: IssuedFullRefund, Notes: "refunded by the network (RDR)", By: actor.System, Now: now})
	if err != nil {
		return Change{}, false
	}
	c.RefundRemaining, c.RefundAmount, c.RefundExternal = false, d.Amount, true
	return c, true
}

// Close concedes a card-network or manual dispute (it is lost, irreversibly) or closes a resolved
// marketplace dispute.
func (d *Dispute) Close(by actor.Actor, note string, now time.Time) (Change, error) {
	from := d.Status
	switch {
	case d.Type == Marketplace:
		return d.Move(Closed, note, now)
	case d.Type == Alert:
		return Change{}, wrongType(d.Type, "concession; resolve it instead")
	case d.Status != NeedsResponse:
		return Change{}, fault.InvalidState(string(d.Status), "concede")
	}
	d.Status, d.Resolution, d.ResolutionNotes = Lost, ResolutionLost, strings.TrimSpace(note)
	d.ResolvedBy, d.ResolvedAt, d.AcceptedAt = by.String(), now, now
	d.touch(now)
	c := Change{Action: "conceded", From: from, To: Lost, Note: note, Events: []string{"dispute.closed"}, Outcome: d.Outcome()}
	d.lose(&c)
	return c, nil
}

// Move changes the status without a resolution: marketplace review steps, an inquiry escalated to
// a chargeback, a chargeback escalated to its next stage.
func (d *Dispute) Move(to Status, note string, now time.Time) (Change, error) {
	if len(note) > 5000 {
		return Change{}, fault.Invalidf(fault.CodeInvalidValue, "note", "note is longer than 5000 characters")
	}
	known := slices.Contains(Statuses(d.Type), to) || (d.Type == Inquiry && to == NeedsResponse)
	if !known {
		return Change{}, fault.Invalidf(fault.CodeInvalidValue, "status", "%q is not a status of a %s dispute", to, d.Type)
	}
	if !CanMove(d.Type, d.Status, to) {
		if CanResolve(d.Type, d.Status) && (to == Won || to == Lost || to == Resolved || to == WarningClosed) {
			return Change{}, fault.Invalidf(fault.CodeUseResolve, "status", "%s is a resolution: use the resolve action", to)
		}
		return Change{}, fault.InvalidState(string(d.Status), "move to "+string(to))
	}
	from := d.Status
	action := "status_changed"
	switch {
	case d.Type == Inquiry && to == NeedsResponse:
		d.Type, d.Stage, action = Chargeback, StageChargeback, "escalated"
	case d.Status == UnderReview && to == NeedsResponse:
		next, ok := nextStage[d.Stage]
		if !ok {
			return Change{}, fault.InvalidState(string(d.Stage), "escalate beyond arbitration")
		}
		d.Stage, action = next, "escalated"
	}
	d.Status = to
	d.touch(now)
	return Change{Action: action, From: from, To: to, Note: strings.TrimSpace(note), Events: []string{"dispute.status_changed"}}, nil
}

var nextStage = map[Stage]Stage{"": StagePreArbitration, StageChargeback: StagePreArbitration, StagePreArbitration: StageArbitration}

// Expire applies the deadline rule when the due date has passed while the merchant (or, in a
// marketplace, a party) still had to act; it reports false when nothing is due.
func (d *Dispute) Expire(now time.Time) (Change, bool) {
	if !d.PastDue(now) {
		return Change{}, false
	}
	from := d.Status
	c := Change{Action: "expired", From: from, Note: "the due date passed without a response"}
	switch {
	case d.Status == NeedsResponse:
		d.Status, d.Resolution = Lost, ResolutionLost
		c.Events = []string{"dispute.resolved"}
		d.lose(&c)
	case d.Status == WarningNeedsResponse:
		d.Status = WarningClosed
		c.Events = []string{"dispute.status_changed"}
	case d.Type == Marketplace && d.Status == Open:
		d.Status, c.Events = PendingReview, []string{"dispute.status_changed"}
	default:
		return Change{}, false
	}
	if Ended(d.Status) {
		d.ResolvedBy, d.ResolvedAt = "system", now
		d.ResolutionNotes = c.Note
	}
	d.touch(now)
	c.To, c.Outcome = d.Status, d.Outcome()
	return c, true
}

// Void ends an open dispute because its order was voided.
func (d *Dispute) Void(reason string, by actor.Actor, now time.Time) (Change, error) {
	if Ended(d.Status) {
		return Change{}, fault.InvalidState(string(d.Status), "void")
	}
	from := d.Status
	d.Status, d.Resolution, d.ResolutionNotes = Closed, Voided, reason
	d.ResolvedBy, d.ResolvedAt = by.String(), now
	d.touch(now)
	return Change{Action: "closed", From: from, To: Closed, Note: reason, Events: []string{"dispute.closed"}, Outcome: d.Outcome()}, nil
}

func joinResolutions(rs []Resolution) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

// lose sets the money a lost dispute moves: the one rule for every way a dispute is lost (an
// admin resolves it lost or concedes it, its due date passes, its provider decides it).
//
// A card-network dispute's funds are withdrawn by the network: a chargeback transaction, which a
// later reversal can give back. A manual dispute is the merchant's own record of a case decided
// elsewhere (a PayPal case, a bank's letter) that no network feed follows: no withdrawal will be
// reported nor reversed, and what happened is that the customer got the disputed amount back. So
// it is recorded as an external refund (recorded, not sent) of the disputed amount, capped at
// what is left to refund; the order then shows refunded like any other refund.
func (d *Dispute) lose(c *Change) {
	if LossRefunds(d.Type) {
		c.RefundAmount, c.RefundExternal, c.RefundCapped = d.Amount, true, true
		return
	}
	c.Withdraw = true
}

// LossRefunds reports whether a lost dispute of type t is recorded as the customer's refund rather
// than as a network withdrawal (see lose): a manual dispute's is.
func LossRefunds(t Type) bool { return t == Manual }
