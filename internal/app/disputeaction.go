package app

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// step is one rule applied to a loaded dispute; it returns the changes it made (none when the
// request changes nothing).
type step func(tx store.Tx, d *dispute.Dispute, now time.Time) ([]dispute.Change, error)

// mutate loads a dispute, checks the revision the client holds (when it gave one), applies the
// step and commits the result as one change. Without a revision, a race with another writer is
// retried on fresh data.
func (a *App) mutate(ctx context.Context, who actor.Actor, id string, revision *int64, fn step) (dispute.Dispute, error) {
	var d dispute.Dispute
	err := a.write(ctx, revision == nil, func(tx store.Tx, now time.Time) error {
		var err error
		d, err = tx.GetDispute(ctx, id)
		if err != nil {
			return store.NotFound(err, "dispute", id)
		}
		if !sees(who, d.CustomerID, d.VendorID) {
			return fault.NotFoundf("dispute", id)
		}
		prev := d
		prev.Evidence, prev.Tags = maps.Clone(d.Evidence), slices.Clone(d.Tags)
		if revision != nil && *revision != prev.Revision {
			return revisionConflict("dispute", *revision)
		}
		changes, err := fn(tx, &d, now)
		if err != nil {
			return err
		}
		var real []dispute.Change
		for _, c := range changes {
			if c.Action != "" {
				real = append(real, c)
			}
		}
		if len(real) == 0 {
			d.Revision = prev.Revision
			return nil
		}
		err = a.commitDispute(ctx, tx, now, who, &d, prev, real...)
		if revision == nil && fault.Code(err) == fault.CodeRevisionConflict {
			return store.ErrConflict // lost a race the client did not ask to see: retry
		}
		return err
	})
	return seenBy(who, d), err
}

func one(c dispute.Change, err error) ([]dispute.Change, error) {
	if err != nil {
		return nil, err
	}
	return []dispute.Change{c}, nil
}

// UpdateDisputeParams change a dispute's data; TransactionID matches an unmatched dispute.
type UpdateDisputeParams struct {
	TransactionID string
	dispute.UpdateParams
}

// UpdateDispute changes a dispute the client read at revision.
func (a *App) UpdateDispute(ctx context.Context, who actor.Actor, id string, revision int64, p UpdateDisputeParams) (dispute.Dispute, error) {
	if err := staff(who, "update disputes"); err != nil {
		return dispute.Dispute{}, err
	}
	return a.mutate(ctx, who, id, &revision, func(tx store.Tx, d *dispute.Dispute, now time.Time) ([]dispute.Change, error) {
		var changes []dispute.Change
		if p.TransactionID != "" {
			t, err := disputedCharge(ctx, tx, who, p.TransactionID)
			if err != nil {
				return nil, err
			}
			if t.OrderID != "" && d.OrderID == "" {
				if open, err := tx.OpenDisputeOfOrder(ctx, t.OrderID); err == nil {
					return nil, disputeExists(open.ID)
				}
			}
			matched, err := d.MatchLater(*chargeRef(t), now)
			if err != nil {
				return nil, err
			}
			changes = append(changes, matched...)
			if dispute.Ended(d.Status) { // an RDR alert, resolved by its match
				return changes, nil
			}
		}
		up := p.UpdateParams
		up.By = who
		defs, err := a.fieldDefinitions(ctx, tx, who, up.ExtendedFields)
		if err != nil {
			return nil, err
		}
		up.FieldDefinitions = defs
		c, err := d.Update(up, now)
		if err != nil {
			return nil, err
		}
		if c.Action != "" && (p.Evidence != nil || p.Submit) {
			if err := a.checkStagedFiles(ctx, tx, *d); err != nil {
				return nil, err
			}
		}
		return append(changes, c), nil
	})
}

// SubmitDispute submits the staged evidence.
func (a *App) SubmitDispute(ctx context.Context, who actor.Actor, id string, revision *int64) (dispute.Dispute, error) {
	if err := staff(who, "submit evidence"); err != nil {
		return dispute.Dispute{}, err
	}
	return a.mutate(ctx, who, id, revision, func(tx store.Tx, d *dispute.Dispute, now time.Time) ([]dispute.Change, error) {
		c, err := d.Submit(who, now)
		if err != nil {
			return nil, err
		}
		return []dispute.Change{c}, a.checkStagedFiles(ctx, tx, *d)
	})
}

// CloseDispute concedes a dispute (or closes a resolved marketplace dispute).
func (a *App) CloseDispute(ctx context.Context, who actor.Actor, id string, revision *int64, note string) (dispute.Dispute, error) {
	if err := staff(who, "close disputes"); err != nil {
		return dispute.Dispute{}, err
	}
	return a.mutate(ctx, who, id, revision, func(_ store.Tx, d *dispute.Dispute, now time.Time) ([]dispute.Change, error) {
		return one(d.Close(who, note, now))
	})
}

// MoveDispute changes a dispute's status without resolving it.
func (a *App) MoveDispute(ctx context.Context, who actor.Actor, id string, revision *int64, status, note string) (dispute.Dispute, error) {
	if err := staff(who, "change dispute statuses"); err != nil {
		return dispute.Dispute{}, err
	}
	if status == "" {
		return dispute.Dispute{}, fault.Required("status")
	}
	return a.mutate(ctx, who, id, revision, func(_ store.Tx, d *dispute.Dispute, now time.Time) ([]dispute.Change, error) {
		return one(d.Move(dispute.Status(status), note, now))
	})
}

// ResolveParams decide a dispute.
type ResolveParams struct {
	Resolution     string
	RefundAmount   Money
	Notes          string
	TerminateLines bool
}

// ResolveDispute records the decision and carries out its refunds, withdrawals and line actions.
func (a *App) ResolveDispute(ctx context.Context, who actor.Actor, id string, revision *int64, p ResolveParams) (dispute.Dispute, error) {
	if err := staff(who, "resolve disputes"); err != nil {
		return dispute.Dispute{}, err
	}
	return a.mutate(ctx, who, id, revision, func(_ store.Tx, d *dispute.Dispute, now time.Time) ([]dispute.Change, error) {
		refund, _, err := p.RefundAmount.resolve(d.Currency, "refund_amount")
		if err != nil {
			return nil, err
		}
		return one(d.Resolve(dispute.ResolveParams{Resolution: dispute.Resolution(p.Resolution), RefundAmount: refund,
			Notes: p.Notes, TerminateLines: p.TerminateLines, By: who, Now: now}))
	})
}

// EvidenceParams append an evidence item. File holds an uploaded file's bytes, nil when none
// was sent; FileName is the name the client gave it. What the file is comes from its content
// (dispute.CheckFile), never from the client.
type EvidenceParams struct {
	Type        string
	Content     string
	Description string
	FileName    string
	File        []byte
}

// AddEvidence appends an item to a dispute's evidence.
func (a *App) AddEvidence(ctx context.Context, who actor.Actor, id string, revision *int64, p EvidenceParams) (dispute.EvidenceItem, dispute.Dispute, error) {
	var item dispute.EvidenceItem
	contentType := ""
	if p.File != nil {
		f, err := dispute.CheckFile(dispute.ItemType(p.Type), p.FileName, p.File)
		if err != nil {
			return item, dispute.Dispute{}, err
		}
		p.Type, p.FileName = string(f.Type), f.Name
		contentType = f.ContentType
		if strings.TrimSpace(p.Content) == "" {
			p.Content = f.Name
		}
	}
	d, err := a.mutate(ctx, who, id, revision, func(tx store.Tx, d *dispute.Dispute, now time.Time) ([]dispute.Change, error) {
		item = dispute.EvidenceItem{ID: a.ids.New("evi"), DisputeID: d.ID, Type: dispute.ItemType(p.Type), Content: p.Content,
			Description: p.Description, FileName: p.FileName, ContentType: contentType, Size: int64(len(p.File)),
			AddedBy: who.String(), CreatedAt: now}
		if who.Role.Party() {
			item.Party = dispute.Party(who.Role)
		}
		if err := dispute.ValidateItem(item); err != nil {
			return nil, err
		}
		c, err := d.AddEvidence(who, now)
		if err != nil {
			return nil, err
		}
		if err := admitEvidence(ctx, tx, item); err != nil {
			return nil, err
		}
		c.Note = item.ID
		return []dispute.Change{c}, tx.InsertEvidence(ctx, item, p.File)
	})
	if seen := dispute.PartyEvidence(d.Type, []dispute.EvidenceItem{item}); err == nil && who.Role.Party() && len(seen) == 1 {
		item = seen[0]
	}
	return item, d, err
}

// admitEvidence applies the evidence limits in force to the item about to be added. It reads
// within the transaction that adds the item and moves the dispute's revision, so two additions
// that race for the last place cannot both pass: the second one's revision check fails and it is
// run again on fresh figures (or, when the client sent a revision, refused with 409).
func admitEvidence(ctx context.Context, tx store.Tx, item dispute.EvidenceItem) error {
	settings, err := tx.GetSettings(ctx)
	if err != nil {
		return err
	}
	used, err := tx.EvidenceUsage(ctx, item.DisputeID)
	if err != nil {
		return err
	}
	return EffectiveEvidenceLimits(settings).Admit(used, item)
}
