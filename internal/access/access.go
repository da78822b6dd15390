// Package access holds the use cases of who may come in: the users of the web UI and their
// sign-ins (sessions, the lockout of repeated failures, the setup of the first admin), the API
// keys, and the names people read for the actors the timeline records. Like internal/app, each
// use case checks the actor's role, then reads or writes in one database transaction; the
// HTTP API and the web UI call it, and resolve every request's actor through it.
package access

import (
	"context"
	"crypto/rand"
	"log/slog"
	"time"

	"github.com/ory/fosite"

	"disputed/internal/id"
	"disputed/internal/password"
	"disputed/internal/rules"
	"disputed/internal/store"
)

// Store is what access reads and writes: users, sessions, sign-in failures, setup tokens and API
// keys.
type Store interface {
	store.Transactor
	GetUser(ctx context.Context, id string) (store.User, error)
	GetUserByEmail(ctx context.Context, email string) (store.User, error)
	CountUsersWithRole(ctx context.Context, role string) (int, error)
	ListUsers(ctx context.Context) ([]store.User, error)
	GetSession(ctx context.Context, id string) (store.Session, error)
	GetSignInFailures(ctx context.Context, email, address string) (store.SignInFailures, error)
	ListSignInLocks(ctx context.Context, now time.Time, limit int) ([]store.SignInFailures, error)
	SetupTokenExists(ctx context.Context, hash string) (bool, error)
	GetAPIKey(ctx context.Context, id string) (store.APIKey, error)
	GetAPIKeyByHash(ctx context.Context, hash string) (store.APIKey, error)
	ListAPIKeys(ctx context.Context, p store.Page) ([]store.APIKey, error)
	GetSettings(ctx context.Context) (store.Settings, error)
	GetApp(ctx context.Context, id string) (store.App, error)
	ListApps(ctx context.Context) ([]store.App, error)
	GetOAuthGrant(ctx context.Context, kind, signature string) (store.OAuthGrant, error)
	CountOAuthConnections(ctx context.Context, appID string, now time.Time) (int, error)
	GetRule(ctx context.Context, id string) (rules.Rule, error) // to name a rule that acted
}

// Options configure a Service. Zero values pick the defaults: the real clock, a discarding
// logger, the default password hasher and identifiers of its own.
type Options struct {
	Now    func() time.Time
	Logger *slog.Logger
	// Hasher computes the password hashes; nil means one of password.DefaultSlots waiting up to
	// password.DefaultWait. One per process: it bounds the memory the hashes take.
	Hasher *password.Hasher
	// IDs makes the ids of users and keys; nil means a generator reading Now.
	IDs *id.Generator
	// TokenKeys sign the OAuth tokens of apps, the first signing and all verifying (32 bytes
	// each, secretbox.Ring.Derive); nil means a random key, whose tokens end with the process.
	TokenKeys [][]byte
	// OffsetWithin refuses a page of the API keys that starts too deep for a list read by
	// offset (app.App.OffsetWithin, the one rule of such lists); nil refuses none.
	OffsetWithin func(store.Page) error
}

// Service runs the access use cases against a store.
type Service struct {
	store  Store
	now    func() time.Time
	ids    *id.Generator
	log    *slog.Logger
	hasher *password.Hasher
	oauth  fosite.OAuth2Provider
	// offsetWithin is Options.OffsetWithin.
	offsetWithin func(store.Page) error
}

// New returns a Service.
func New(st Store, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Hasher == nil {
		o.Hasher = password.NewHasher(password.DefaultSlots, password.DefaultWait)
	}
	if o.IDs == nil {
		o.IDs = id.NewGenerator(o.Now)
	}
	if len(o.TokenKeys) == 0 {
		key := make([]byte, 32)
		_, _ = rand.Read(key)
		o.TokenKeys = [][]byte{key}
	}
	if o.OffsetWithin == nil {
		o.OffsetWithin = func(store.Page) error { return nil }
	}
	s := &Service{store: st, now: o.Now, ids: o.IDs, log: o.Logger, hasher: o.Hasher, offsetWithin: o.OffsetWithin}
	s.oauth = s.newOAuth(o.TokenKeys)
	return s
}

// clock returns the current time at the precision the store keeps, so that what a use case
// returns equals what a later read returns.
func (s *Service) clock() time.Time { return store.AtPrecision(s.now()) }

// write runs fn in one transaction; with retry, a lost race against another writer runs it again
// on fresh data, a few times, as internal/app does.
func (s *Service) write(ctx context.Context, retry bool, fn func(tx store.Tx, now time.Time) error) error {
	return store.Retry(ctx, s.store, retry, s.now, fn)
}
