package dispute

import (
	"maps"
	"slices"
	"strings"
	"time"

	"disputed/internal/fault"
)

// UpdateParams change a dispute's data; a nil field is left alone.
type UpdateParams struct {
	Evidence map[string]string // merged into the staged dictionary; "" removes a field
	Submit   bool              // submit the evidence after staging it
	DueBy    *time.Time        // a zero time removes the due date
	Tags     *[]string         // replaces the tags
	Metadata map[string]string // merged; "" removes a key
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
	var what []string // what changed, in words, for the timeline
	if p.Evidence != nil {
		staged, removed, err := d.stageEvidence(p.Evidence)
		if err != nil {
			return Change{}, err
		}
		if len(staged) > 0 {
			what = append(what, "evidence staged: "+strings.Join(staged, ", "))
		}
		if len(removed) > 0 {
			what = append(what, "evidence removed: "+strings.Join(removed, ", "))
		}
	}
	if p.DueBy != nil && !p.DueBy.Equal(d.DueBy) {
		d.DueBy = *p.DueBy
		if d.DueBy.IsZero() {
			what = append(what, "due date removed")
		} else {
			what = append(what, "due date set to "+d.DueBy.UTC().Format("2 Jan 2006 15:04 UTC"))
		}
	}
	if p.Tags != nil {
		tags, err := normaliseTags(*p.Tags)
		if err != nil {
			return Change{}, err
		}
		if !slices.Equal(tags, d.Tags) {
			d.Tags = tags
			if len(tags) == 0 {
				what = append(what, "tags removed")
			} else {
				what = append(what, "tags: "+strings.Join(tags, ", "))
			}
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
			what = append(what, "metadata changed")
		}
	}
	note := sentence(what)
	if p.Submit {
		if err := d.submit(); err != nil {
			return Change{}, err
		}
		d.touch(now)
		return Change{Action: "submitted", From: from, To: d.Status, Note: note, Events: []string{"dispute.updated", "dispute.submitted"}}, nil
	}
	if len(what) == 0 {
		return Change{}, nil
	}
	d.touch(now)
	return Change{Action: "updated", From: from, To: d.Status, Note: note, Events: []string{"dispute.updated"}}, nil
}

// sentence joins the parts of an update's note: "Evidence staged: customer_name; tags: vip".
func sentence(parts []string) string {
	s := strings.Join(parts, "; ")
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Submit sends the staged evidence: the merchant has answered and the network reviews.
func (d *Dispute) Submit(now time.Time) (Change, error) {
	from := d.Status
	if err := d.submit(); err != nil {
		return Change{}, err
	}
	d.touch(now)
	return Change{Action: "submitted", From: from, To: d.Status, Events: []string{"dispute.submitted"}}, nil
}

func (d *Dispute) submit() error {
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
		return fault.Invalidf("evidence_missing", "evidence", "there is no evidence to submit")
	}
	d.Status = to
	d.SubmissionCount++
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
		return Change{}, fault.New(fault.Conflict, "already_matched", "transaction_id", "the dispute is already matched to %s", d.TransactionID)
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
