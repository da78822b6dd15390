package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"disputed/internal/actor"
	"disputed/internal/compile"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/jobs"
	"disputed/internal/packet"
	"disputed/internal/store"
)

// KindCompileEvidence is the job that compiles a dispute's evidence when it opens, and again when
// a panel's activity report arrives.
const KindCompileEvidence = "evidence.compile"

// CompileAttempts: compiling only reads and writes the database, so it fails while the database
// does, or when the server dies under it (an attempt a restart cut off counts as one). It is safe
// to repeat, so it keeps trying for a quarter of an hour (the backoff doubles from 2 s) before an
// admin must compile by hand: five tries were used up by a few restarts in a row.
const CompileAttempts = 10

type compileJob struct {
	DisputeID string `json:"dispute_id"`
}

// CompileEvidence stages every evidence field disputed can fill from what it holds, never over
// what a person wrote (dispute.StageCompiled): customer, purchase context, order, service dates
// and activity, emails, policies, a receipt. The file fields it fills (receipt, policies, the
// email log) become PDF evidence items of their own; compiling again adds a new one only when its
// text changed. Nothing changes when nothing new was found. With a revision, the dispute must
// still be at it.
func (a *App) CompileEvidence(ctx context.Context, who actor.Actor, id string, revision *int64) (dispute.Dispute, error) {
	if err := staff(who, "compile evidence"); err != nil {
		return dispute.Dispute{}, err
	}
	d, err := a.store.GetDispute(ctx, id)
	if err != nil {
		return dispute.Dispute{}, store.NotFound(err, "dispute", id)
	}
	if !d.Type.AnsweredWithEvidence() {
		return dispute.Dispute{}, fault.Invalidf(fault.CodeNotSupportedForType, "type",
			"a %s dispute is not answered with evidence: there is nothing to compile", d.Type)
	}
	s, err := a.store.GetSettings(ctx)
	if err != nil {
		return dispute.Dispute{}, err
	}
	in, err := compileFacts(ctx, a.store, d, s)
	if err != nil {
		return dispute.Dispute{}, err
	}
	compiled := compile.Evidence(in)
	// The documents are rendered outside the transaction: the same text renders the same bytes
	// (dated by the dispute's creation), so a document compiled again is told from a changed one.
	rendered := map[string][]byte{}
	for field, doc := range compiled.Documents {
		pdf, err := packet.TextDocument(doc.Title, s.MerchantName, doc.Text, d.CreatedAt)
		if err != nil {
			return dispute.Dispute{}, err
		}
		rendered[field] = pdf
	}
	return a.mutate(ctx, who, id, revision, func(tx store.Tx, d *dispute.Dispute, now time.Time) ([]dispute.Change, error) {
		fields := maps.Clone(compiled.Fields)
		var changes []dispute.Change
		for _, field := range slices.Sorted(maps.Keys(rendered)) {
			itemID, c, err := a.compiledDocument(ctx, tx, who, d, now, field, compiled.Documents[field], compiled.Sources[field], rendered[field])
			if err != nil {
				return nil, err
			}
			if itemID != "" {
				fields[field] = itemID
			}
			if c.Action != "" {
				changes = append(changes, c)
			}
		}
		c, err := d.StageCompiled(fields, compiled.Sources, now)
		if err != nil {
			return nil, err
		}
		changes = append(changes, c)
		if c.Action != "" {
			if err := a.checkStagedFiles(ctx, tx, *d); err != nil {
				return nil, err
			}
		}
		return changes, nil
	})
}

// compiledDocument is the evidence item a compiled document is staged as: the one staged already
// when its file is the same, else a new item (within the evidence limits). It is "" when a person
// staged the field, which compiling never replaces.
func (a *App) compiledDocument(ctx context.Context, tx store.Tx, who actor.Actor, d *dispute.Dispute, now time.Time,
	field string, doc compile.Document, source string, pdf []byte) (string, dispute.Change, error) {
	current := d.Evidence[field]
	if current != "" && d.EvidenceSources[field] == "" {
		return "", dispute.Change{}, nil
	}
	if dispute.IsItemRef(field, current) {
		_, data, err := tx.GetEvidenceFile(ctx, current)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return "", dispute.Change{}, err
		}
		if bytes.Equal(data, pdf) {
			return current, dispute.Change{}, nil
		}
	}
	item := dispute.EvidenceItem{ID: a.ids.New("evi"), DisputeID: d.ID, Type: dispute.ItemFile,
		Content: field + ".pdf", Description: doc.Title + ", compiled from " + source, FileName: field + ".pdf",
		ContentType: "application/pdf", Size: int64(len(pdf)), AddedBy: who.String(), CreatedAt: now}
	c, err := d.AddEvidence(who, now)
	if err != nil {
		return "", dispute.Change{}, err
	}
	if err := admitEvidence(ctx, tx, item); err != nil {
		return "", dispute.Change{}, err
	}
	c.Note = item.ID
	return item.ID, c, tx.InsertEvidence(ctx, item, pdf)
}

// compileSettle is how long the evidence waits, after the last fact that asks for it, before it
// compiles. The facts come in clusters, each a second or two after the one before: a dispute's
// opening, its email to the customer once sent, the panels' activity reports answering the
// opening. Compiled at once, a dispute compiled (its PDFs rendered each time) for each of them;
// compiled once they have settled, it compiles once, with all of them, and after the burst of
// provider events that opened it rather than in its middle.
const compileSettle = 5 * time.Second

// scheduleCompile asks for the evidence to be compiled once the facts have settled
// (compileSettle), unless the merchant compiles by hand. The job's key is the dispute's: each
// new fact moves the scheduled compile to compileSettle after it, and they compile once.
func (a *App) scheduleCompile(ctx context.Context, tx store.Tx, now time.Time, d dispute.Dispute) error {
	if !d.Type.AnsweredWithEvidence() {
		return nil
	}
	s, err := tx.GetSettings(ctx)
	if err != nil || s.Profile.CompileManually {
		return err
	}
	args, err := json.Marshal(compileJob{DisputeID: d.ID})
	if err != nil {
		return err
	}
	key := "compile:" + d.ID
	return a.enqueue(ctx, tx, now, store.Job{Kind: KindCompileEvidence, Key: key, Subject: d.ID, Args: args, RunAt: now.Add(compileSettle)})
}

// compileAfterEmail asks for an open dispute's evidence to be compiled once an email to its
// customer has gone: the communication the evidence shows is the emails sent. The opening's own
// email usually goes within the settle, and moves the opening's compile after it.
func (a *App) compileAfterEmail(ctx context.Context, tx store.Tx, now time.Time, e store.Email) error {
	if e.DisputeID == "" {
		return nil
	}
	d, err := tx.GetDispute(ctx, e.DisputeID)
	if errors.Is(err, store.ErrNotFound) || err == nil && !d.IsOpen() {
		return nil
	}
	if err != nil {
		return err
	}
	return a.scheduleCompile(ctx, tx, now, d)
}

// CompileJob is the evidence.compile job. A dispute that can no longer take evidence (answered,
// closed) is left as it is: there is nothing to retry.
func (a *App) CompileJob(ctx context.Context, job store.Job) (jobs.Record, error) {
	var args compileJob
	if err := json.Unmarshal(job.Args, &args); err != nil {
		return nil, jobs.Permanent(fmt.Errorf("compile job arguments: %w", err))
	}
	_, err := a.CompileEvidence(ctx, actor.System, args.DisputeID, nil)
	if e, ok := fault.As(err); ok {
		switch e.Kind {
		case fault.Conflict, fault.NotFound: // answered, closed or gone since
			return nil, nil
		case fault.Invalid: // over the evidence limits, say: the same call fails again
			return nil, jobs.Permanent(err)
		}
	}
	return nil, err
}
