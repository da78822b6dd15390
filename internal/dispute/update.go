package dispute

import (
	"maps"
	"slices"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
)

// UpdateParams change a dispute's data; a nil field is left alone.
type UpdateParams struct {
	Evidence map[string]string // merged into the staged dictionary; "" removes a field
	Submit   bool              // submit the evidence after staging it
	DueBy    *time.Time        // a zero time removes the due date
	Tags     *[]string         // replaces the tags
	Metadata map[string]string // merged; "" removes a key
	By       actor.Actor       // who asks: a submission records whether a person made it
}

// Update applies p as one change: one revision, one timeline entry. An update that changes
// nothing returns a Change with an empty Action and leaves the revision alone.
// A refused update leaves the dispute exactly as it was.
func (d *Dispute) Update(p UpdateParams, now time.Time) (Change, error) {
	if Ended(d.Status) {
		return Change{}, fault.InvalidState(string(d.Status), "update")
	}
	w := *d
	w.Evidence = maps.Clone(d.Evidence)
	c, err := w.update(p, now)
	if err != nil {
		return Change{}, err
	}
	if c.Action != "" {
		*d = w
	}
	return c, nil
}

func (d *Dispute) update(p UpdateParams, now time.Time) (Change, error) {
	from := d.Status
	changed := false
	if p.Evidence != nil {
		c, err := d.stageEvidence(p.Evidence)
		if err != nil {
			return Change{}, err
		}
		changed = changed || c
	}
	if p.DueBy != nil && !p.DueBy.Equal(d.DueBy) {
		d.DueBy = *p.DueBy
		changed = true
	}
	if p.Tags != nil {
		tags, err := normaliseTags(*p.Tags)
		if err != nil {
			return Change{}, err
		}
		if !slices.Equal(tags, d.Tags) {
			d.Tags = tags
			changed = true
		}
	}
	if p.Metadata != nil {
		merged := maps.Clone(d.Metadata)
		for k, v := range p.Metadata {
			if v == "" {
				delete(merged, k)
			} else {
				merged[k] = v
			}
		}
		if err := validMetadata(merged); err != nil {
			return Change{}, err
		}
		if !maps.Equal(merged, d.Metadata) {
			d.Metadata = merged
			changed = true
		}
	}
	if p.Submit {
		if err := d.submit(p.By, now); err != nil {
			return Change{}, err
		}
		d.touch(now)
		return Change{Action: "submitted", From: from, To: d.Status, Events: []string{"dispute.updated", "dispute.submitted"}}, nil
	}
	if !changed {
		return Change{}, nil
	}
	d.touch(now)
	return Change{Action: "updated", From: from, To: d.Status, Events: []string{"dispute.updated"}}, nil
}

// Submit sends the staged evidence: the merchant has answered and the network reviews.
func (d *Dispute) Submit(by actor.Actor, now time.Time) (Change, error) {
	from := d.Status
	if err := d.submit(by, now); err != nil {
		return Change{}, err
	}
	d.touch(now)
	return Change{Action: "submitted", From: from, To: d.Status, Events: []string{"dispute.submitted"}}, nil
}

func (d *Dispute) submit(by actor.Actor, now time.Time) error {
	if !d.Type.networkLike() {
		return wrongType(d.Type, "evidence submission")
	}
	var to Status
	switch d.Status {
	case NeedsResponse:
		to = UnderReview
	case WarningNeedsResponse:
		to = WarningUnderReview
	default:
		return fault.InvalidState(string(d.Status), "submit evidence")
	}
	if !d.HasEvidence() {
		return fault.Invalidf(fault.CodeEvidenceMissing, "evidence", "there is no evidence to submit")
	}
	d.Status = to
	d.SubmissionCount++
	d.defend(by, now)
	return nil
}

// Match links an unmatched dispute (an alert, usually) to the charge it is about.
func (d *Dispute) Match(c Charge, now time.Time) (Change, error) {
	if Ended(d.Status) {
		return Change{}, fault.InvalidState(string(d.Status), "match a transaction")
	}
	if d.Matched() {
		if d.TransactionID == c.ID {
			return Change{}, nil
		}
		return Change{}, fault.New(fault.Conflict, fault.CodeAlreadyMatched, "transaction_id", "the dispute is already matched to %s", d.TransactionID)
	}
	hadOrder := d.OrderID != ""
	w := *d // attach may fail half-way: only a complete match is kept
	if err := w.attach(c); err != nil {
		return Change{}, err
	}
	*d = w
	d.touch(now)
	events := []string{"dispute.updated"}
	if !hadOrder && d.OrderID != "" {
		events = append(events, "order.disputed")
	}
	return Change{Action: "matched", From: d.Status, To: d.Status, Note: c.ID, Events: events}, nil
}
