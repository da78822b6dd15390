package main

import (
	"context"
	"slices"
	"strings"
	"time"

	"disputed/bench/internal/benchdb"
	"disputed/bench/internal/serverproc"
	"disputed/internal/secretbox"
	"disputed/internal/store"
)

// serverKeys are the keys the benchmark's servers seal their secrets with.
func serverKeys() (*secretbox.Ring, error) { return secretbox.Parse(serverproc.SecretKey) }

// storedEvents reads back, oldest first, the events of a phase as the server stored them.
func storedEvents(ctx context.Context, db *benchdb.DB, phase string) ([]store.ProviderEvent, error) {
	keys, err := serverKeys()
	if err != nil {
		return nil, err
	}
	s, err := db.OpenStore(ctx, keys)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	var out []store.ProviderEvent
	f := store.ProviderEventFilter{Provider: stripeName, Page: store.Page{Limit: 1000}}
	for {
		page, err := s.ListProviderEvents(ctx, f)
		if err != nil {
			return nil, err
		}
		page = page[:min(len(page), f.Limit)] // the list reads one more, to say whether a next page exists
		for _, e := range page {
			if strings.HasPrefix(e.EventID, "evt_"+phase+"_") {
				out = append(out, e)
			}
		}
		if len(page) < f.Limit {
			slices.Reverse(out)
			return out, nil
		}
		f.AfterID = page[len(page)-1].ID
	}
}

// appendCeiling appends evs, as they were stored, to the inbox of db, a fresh database opened as
// the server opens it, in groups group commits of (nearly) equal size, one after the other,
// through the appender's own statement (store.Tx.AppendProviderEvents), each group's rows in the
// order the appender writes them. It returns the time the commits took. A commit's cost is
// mostly fixed and a row's is constant, so the same number of groups of the same events costs
// what the server's groups of uneven sizes cost.
func appendCeiling(ctx context.Context, db *benchdb.DB, evs []store.ProviderEvent, groups int) (time.Duration, error) {
	keys, err := serverKeys()
	if err != nil {
		return 0, err
	}
	s, err := db.OpenStore(ctx, keys)
	if err != nil {
		return 0, err
	}
	defer s.Close()
	parts := make([][]store.ProviderEvent, groups)
	for g := range parts {
		parts[g] = slices.Clone(evs[len(evs)*g/groups : len(evs)*(g+1)/groups])
		slices.SortFunc(parts[g], func(x, y store.ProviderEvent) int { return strings.Compare(x.EventID, y.EventID) })
	}
	start := time.Now()
	for _, part := range parts {
		if err := s.Tx(ctx, func(tx store.Tx) error {
			_, err := tx.AppendProviderEvents(ctx, part)
			return err
		}); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}
