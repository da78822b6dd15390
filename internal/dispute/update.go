package dispute

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
)

// UpdateParams change a dispute's data; a nil field is left alone.
type UpdateParams struct {
	Evidence map[string]string // merged into the staged dictionary; "" removes a field
	Submit   bool              // submit the evidence after staging it
	// CoverLetter replaces the merchant's cover letter; "" goes back to the drafted one.
	CoverLetter *string
	DueBy       *time.Time        // a zero time removes the due date
	Tags        *[]string         // replaces the tags
	Metadata    map[string]string // merged; "" removes a key
	// ExtendedFields are merged, a null removing a field; each is checked against the field of
	// its name in FieldDefinitions, the merchant's settings.
	ExtendedFields   map[string]json.RawMessage
	FieldDefinitions []FieldDefinition
	By               actor.Actor // who asks: a submission records whether a person made it
}

// Update applies p as one change: one revision, one timeline entry. An update that changes
// nothing returns a Change with an empty Action and leaves the revision alone.
// A refused update leaves the dispute exactly as it was.
func (d *Dispute) Update(p UpdateParams, now time.Time) (Change, error) {
	if Ended(d.Status) {
		return Change{}, fault.InvalidState(string(d.Status), "update")
	}
	w := *d
	w.Evidence, w.EvidenceSources = maps.Clone(d.Evidence), maps.Clone(d.EvidenceSources)
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
	if p.CoverLetter != nil && *p.CoverLetter != d.CoverLetter {
		if err := d.editCoverLetter(*p.CoverLetter); err != nil {
			return Change{}, err
		}
		if d.CoverLetter == "" {
			what = append(what, "cover letter back to the draft")
		} else {
			what = append(what, "cover letter edited")
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
	if p.ExtendedFields != nil {
		fields, err := ChangeExtendedFields(d.ExtendedFields, p.ExtendedFields, p.FieldDefinitions)
		if err != nil {
			return Change{}, err
		}
		if !maps.Equal(fields, d.ExtendedFields) {
			d.ExtendedFields = fields
			what = append(what, "extended fields changed")
		}
	}
	note := sentence(what)
	if p.Submit {
		c, err := d.submit(p.By, now)
		if err != nil {
			return Change{}, err
		}
		if c.Events[0] != "dispute.updated" {
			c.Events = append([]string{"dispute.updated"}, c.Events...)
		}
		c.Note = sentence(slices.DeleteFunc([]string{note, c.Note}, func(s string) bool { return s == "" }))
		return c, nil
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

// Submit answers with the staged evidence. A provider's dispute waits for the provider to take it
// (AcceptSubmission); any other is under review at once.
func (d *Dispute) Submit(by actor.Actor, now time.Time) (Change, error) { return d.submit(by, now) }

func (d *Dispute) submit(by actor.Actor, now time.Time) (Change, error) {
	if !d.Type.networkLike() {
		return Change{}, wrongType(d.Type, "evidence submission")
	}
	if _, ok := reviewAfter[d.Status]; !ok {
		return Change{}, fault.InvalidState(string(d.Status), "submit evidence")
	}
	if !d.HasEvidence() {
		return Change{}, fault.Invalidf(fault.CodeEvidenceMissing, "evidence", "there is no evidence to submit")
	}
	if d.AnsweredAtProvider() {
		return d.send(AnswerEvidence, by.String(), "", now)
	}
	c, _ := d.takeAnswer(AnswerEvidence, by.String(), "", now)
	return c, nil
}

// MatchLater links a dispute that opened unmatched to the charge it is about, whoever finds the
// charge (an admin, the charge arriving, a later event), with what a match sets in motion: an
// RDR alert, refunded by the network, is resolved as it would have been on opening matched
// (AutoResolveRDR). The changes are in order; none when it was matched to c already.
func (d *Dispute) MatchLater(c Charge, now time.Time) ([]Change, error) {
	matched, err := d.Match(c, now)
	if err != nil || matched.Action == "" {
		return nil, err
	}
	if rdr, ok := d.AutoResolveRDR(now); ok {
		return []Change{matched, rdr}, nil
	}
	return []Change{matched}, nil
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
