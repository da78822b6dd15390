package sqlstore

import (
	"context"
	"slices"

	"disputed/internal/rules"
	"disputed/internal/store"
)

// memo holds what a transaction has read of three tables it reads again and again and almost
// never writes: the settings and the webhook endpoints, which every event and every email of a
// batch of jobs consults, and the rules, which every dispute opened consults. A write to one
// through the transaction, or a savepoint rolled back, forgets them. Callers get copies, so
// that what they change stays theirs.
type memo struct {
	settings  *store.Settings
	endpoints []store.WebhookEndpoint // nil until read
	rules     []rules.Rule            // nil until read
	rows      rowMemo
}

func (m *memo) forget() { *m = memo{} }

// GetSettings reads the settings once per transaction.
func (t *tx) GetSettings(ctx context.Context) (store.Settings, error) {
	if t.memo.settings == nil {
		s, err := t.conn.GetSettings(ctx)
		if err != nil {
			return store.Settings{}, err
		}
		t.memo.settings = &s
	}
	s := *t.memo.settings
	s.ReminderOffsets, s.EmailsOff = slices.Clone(s.ReminderOffsets), slices.Clone(s.EmailsOff)
	return s, nil
}

// ListWebhookEndpoints reads the endpoints once per transaction.
func (t *tx) ListWebhookEndpoints(ctx context.Context) ([]store.WebhookEndpoint, error) {
	if t.memo.endpoints == nil {
		es, err := t.conn.ListWebhookEndpoints(ctx)
		if err != nil {
			return nil, err
		}
		t.memo.endpoints = append(make([]store.WebhookEndpoint, 0, len(es)), es...)
	}
	es := slices.Clone(t.memo.endpoints)
	for i := range es {
		es[i].Events = slices.Clone(es[i].Events)
	}
	return es, nil
}

// ListRules reads the rules once per transaction; a rule holds no reference, so a copy of the
// list is the caller's own.
func (t *tx) ListRules(ctx context.Context) ([]rules.Rule, error) {
	if t.memo.rules == nil {
		rs, err := t.conn.ListRules(ctx)
		if err != nil {
			return nil, err
		}
		t.memo.rules = append(make([]rules.Rule, 0, len(rs)), rs...)
	}
	return slices.Clone(t.memo.rules), nil
}
