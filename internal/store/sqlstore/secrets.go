package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"disputed/internal/secretbox"
	"disputed/internal/store"
	"disputed/internal/store/query"
)

// The secret columns are sealed here and nowhere else: each writer of providers, panels and
// webhook_endpoints seals them through seal, each reader opens them through open, so that
// everything above the store sees plain text and nothing can write one unsealed.

// place names where a secret is kept, the additional data its sealed value is bound to: a
// sealed value copied to another row or column does not open.
func place(table, key, column string) string { return table + ":" + key + ":" + column }

// keyCheck is the known value the secret_key_check row seals, and its place.
const (
	keyCheck      = "disputed secret key check"
	keyCheckPlace = "secret_key_check"
)

func (c *conn) seal(plain, table, key, column string) string {
	return c.box.Seal(plain, place(table, key, column))
}

// open opens a secret column, reporting one that does not open with where it is kept.
func (c *conn) open(text, table, key, column string, err *error) string {
	plain, openErr := c.box.Open(text, place(table, key, column))
	if openErr != nil && *err == nil {
		*err = fmt.Errorf("%s %s, %s: %w", table, key, column, openErr)
	}
	return plain
}

// checkKey makes sure the ring opens the database's secrets: the first server writes the key
// check under its key; every later one must open it.
func (s *Store) checkKey(ctx context.Context) error {
	check, err := s.q.GetSecretKeyCheck(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		err = s.Tx(ctx, func(t store.Tx) error {
			return t.(*tx).q.InsertSecretKeyCheck(ctx, s.box.Seal(keyCheck, keyCheckPlace))
		})
		if err == nil {
			check, err = s.writeQ.GetSecretKeyCheck(ctx)
		}
	}
	if err != nil {
		return fmt.Errorf("read the secret key check: %w", err)
	}
	if plain, err := s.box.Open(check, keyCheckPlace); err != nil || plain != keyCheck {
		return fmt.Errorf("%w: they are sealed under key %s, and this server has key %s; start it with the key they were sealed under",
			store.ErrSecretKey, cmp.Or(secretbox.KeyOf(check), "?"), strings.Join(s.box.KeyIDs(), ", "))
	}
	return nil
}

// SealSecrets seals again every secret not sealed under the first key, in one transaction.
func (s *Store) SealSecrets(ctx context.Context) (store.SealReport, error) {
	var rep store.SealReport
	err := s.Tx(ctx, func(st store.Tx) error {
		t := st.(*tx)
		rs := resealer{box: s.box, report: &rep}
		check, err := t.q.GetSecretKeyCheck(ctx)
		if err != nil {
			return fmt.Errorf("read the secret key check: %w", err)
		}
		if !s.box.Current(check) {
			if err := t.q.UpdateSecretKeyCheck(ctx, s.box.Seal(keyCheck, keyCheckPlace)); err != nil {
				return err
			}
		}
		providers, err := t.q.ListProviderSecrets(ctx)
		if err != nil {
			return err
		}
		for _, p := range providers {
			w, a := rs.value(p.WebhookSecret, "providers", p.Name, "webhook_secret"), rs.value(p.APIKey, "providers", p.Name, "api_key")
			if w != p.WebhookSecret || a != p.APIKey {
				err = errors.Join(err, t.q.SealProviderSecrets(ctx, query.SealProviderSecretsParams{Name: p.Name, WebhookSecret: w, APIKey: a}))
			}
		}
		panels, err2 := t.q.ListPanelSecrets(ctx)
		for _, p := range panels {
			if v := rs.value(p.Secret, "panels", p.Name, "secret"); v != p.Secret {
				err = errors.Join(err, t.q.SealPanelSecret(ctx, query.SealPanelSecretParams{Name: p.Name, Secret: v}))
			}
		}
		endpoints, err3 := t.q.ListEndpointSecrets(ctx)
		for _, e := range endpoints {
			v, prev := rs.value(e.Secret, "webhook_endpoints", e.ID, "secret"), rs.value(e.PreviousSecret, "webhook_endpoints", e.ID, "previous_secret")
			if v != e.Secret || prev != e.PreviousSecret {
				err = errors.Join(err, t.q.SealEndpointSecrets(ctx, query.SealEndpointSecretsParams{ID: e.ID, Secret: v, PreviousSecret: prev}))
			}
		}
		return errors.Join(rs.err, err, err2, err3)
	})
	if err != nil {
		return store.SealReport{}, fmt.Errorf("seal secrets: %w", err)
	}
	return rep, nil
}

// DeriveKeys returns keys for purpose derived from the secret keys.
func (s *Store) DeriveKeys(purpose string) [][]byte { return s.box.Derive(purpose) }

// resealer turns a stored secret into its value sealed under the first key, counting what it
// did and keeping every secret that does not open where it is.
type resealer struct {
	box    *secretbox.Ring
	report *store.SealReport
	err    error
}

func (r *resealer) value(text, table, key, column string) string {
	at := place(table, key, column)
	if !secretbox.Sealed(text) {
		if text == "" {
			return text
		}
		r.report.Sealed++
		return r.box.Seal(text, at)
	}
	plain, err := r.box.Open(text, at)
	switch {
	case err != nil:
		r.err = errors.Join(r.err, fmt.Errorf("%s %s, %s: %w", table, key, column, err))
		return text
	case r.box.Current(text):
		return text
	}
	r.report.Resealed++
	return r.box.Seal(plain, at)
}
