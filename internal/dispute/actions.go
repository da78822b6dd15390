package dispute

import "time"

// Action is something that can be done to a dispute now, with the date by which it must be done.
type Action struct {
	Name  string
	DueBy time.Time // zero when there is no deadline
}

// Actions lists what can be done now, derived from the state machine; the merchant's response
// actions carry the dispute's due date.
func (d *Dispute) Actions() []Action {
	var out []Action
	add := func(name string, due bool) {
		a := Action{Name: name}
		if due {
			a.DueBy = d.DueBy
		}
		out = append(out, a)
	}
	if Final(d.Status) {
		return nil
	}
	switch d.Type {
	case Chargeback, Manual, Inquiry:
		if mustRespond(d.Status) {
			add("submit_evidence", true)
			if d.Status == NeedsResponse {
				add("accept", true)
			}
		}
		if d.Status == WarningNeedsResponse || d.Status == WarningUnderReview {
			add("escalate", false)
		}
		if d.Status == UnderReview {
			if _, ok := nextStage[d.Stage]; ok {
				add("escalate", false)
			}
		}
		if CanResolve(d.Type, d.Status) {
			add("resolve", false)
		}
	case Alert:
		if d.Status != Open { // a resolved alert can neither be matched nor resolved again
			break
		}
		if !d.Matched() {
			add("match", true)
		}
		add("resolve", true)
	case Marketplace:
		switch d.Status {
		case Open:
			add("add_evidence", true)
			add("review", false)
		case PendingReview:
			add("escalate", false)
			add("resolve", false)
		case Escalated:
			add("resolve", false)
		case Resolved:
			add("close", false)
		}
	}
	return out
}
