package main

import (
	"context"
	"fmt"
	"os"

	"disputed/bench/internal/benchdb"
)

// effects are what the run left in the database, read back to check that every event was
// applied exactly once.
type effects struct {
	stored, notApplied       int // provider events
	disputes, cases, decided int // disputes; distinct cases among them; those won or lost
	matched                  int // disputes matched to their charge
	timeline                 int // timeline entries of provider events: one per dispute event applied
	charges, chargeRefs      int // charge transactions, and distinct charge ids among them
	refunds, refundRefs      int // the same for refunds
}

// readEffects reads the effects back, with the database's own SQL.
func readEffects(ctx context.Context, db *benchdb.DB) (effects, error) {
	raw, err := db.Open(ctx)
	if err != nil {
		return effects{}, err
	}
	defer raw.Close()
	var f effects
	for _, q := range []struct {
		sql  string
		into []any
	}{
		{"SELECT COUNT(*), COALESCE(SUM(CASE WHEN state <> 'applied' THEN 1 ELSE 0 END), 0) FROM provider_events",
			[]any{&f.stored, &f.notApplied}},
		{`SELECT COUNT(*), COUNT(DISTINCT provider_dispute_id), COALESCE(SUM(CASE WHEN status IN ('won', 'lost') THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN transaction_id <> '' THEN 1 ELSE 0 END), 0) FROM disputes WHERE provider = '` + stripeName + `'`,
			[]any{&f.disputes, &f.cases, &f.decided, &f.matched}},
		{"SELECT COUNT(*) FROM timeline WHERE action = 'provider_event'", []any{&f.timeline}},
		{"SELECT COUNT(*), COUNT(DISTINCT provider_reference) FROM transactions WHERE provider_reference LIKE 'ch%'",
			[]any{&f.charges, &f.chargeRefs}},
		{"SELECT COUNT(*), COUNT(DISTINCT provider_reference) FROM transactions WHERE provider_reference LIKE 're%'",
			[]any{&f.refunds, &f.refundRefs}},
	} {
		if err := raw.QueryRowContext(ctx, q.sql).Scan(q.into...); err != nil {
			return f, fmt.Errorf("%.50s…: %w", q.sql, err)
		}
	}
	return f, nil
}

// check says whether the effects are those of streams sent once each: every event stored once
// and applied, every dispute event applied once (its timeline entry), one dispute per case,
// decided, and no charge or refund recorded twice. A server that does not record charges
// (charge.succeeded applied as nothing to do) records none; one that does must record each.
func (f effects) check(streams ...stream) error {
	var events, disputeEvents, cases, charges int
	for _, s := range streams {
		all, d := s.events()
		events, disputeEvents = events+all, disputeEvents+d
		cases += len(s.blocks)
		charges += len(s.blocks) * chargesPerBlock
	}
	fmt.Fprintf(os.Stderr, "check: %d events stored, %d not applied; %d disputes of %d cases, %d decided, %d matched to their charge; "+
		"%d timeline entries of dispute events; %d charges recorded (%d distinct), %d refunds (%d distinct)\n",
		f.stored, f.notApplied, f.disputes, f.cases, f.decided, f.matched, f.timeline, f.charges, f.chargeRefs, f.refunds, f.refundRefs)
	switch {
	case f.stored != events || f.notApplied != 0:
		return fmt.Errorf("%d events sent: %d stored, %d not applied", events, f.stored, f.notApplied)
	case f.disputes != cases || f.cases != cases || f.decided != cases:
		return fmt.Errorf("%d cases: %d disputes of %d cases, %d decided", cases, f.disputes, f.cases, f.decided)
	case f.timeline != disputeEvents:
		return fmt.Errorf("%d dispute events, applied %d times", disputeEvents, f.timeline)
	case f.charges != f.chargeRefs || f.refunds != f.refundRefs:
		return fmt.Errorf("recorded twice: %d charges of %d ids, %d refunds of %d ids", f.charges, f.chargeRefs, f.refunds, f.refundRefs)
	case f.charges != 0 && f.charges != charges:
		return fmt.Errorf("%d charges sent, %d recorded", charges, f.charges)
	case f.charges == 0:
		fmt.Fprintln(os.Stderr, "check: this server records no charge (charge.succeeded applied as nothing to do)")
	}
	return nil
}
