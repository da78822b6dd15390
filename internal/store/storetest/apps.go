package storetest

import (
	"errors"
	"testing"
	"time"

	"disputed/internal/store"
)

// testApps checks the apps and their OAuth grants: every field kept, a grant found by kind and
// signature only, a consent's grants ended together, the connections counted, and an app's
// removal taking its grants and its webhook endpoints (and nobody else's).
func testApps(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := store.App{ID: "app_1", Name: "Ünïcorn Shield", SecretHash: "9f86d081", RedirectURIs: []string{"http://127.0.0.1:8000/cb", "https://x.example/cb"},
		Scopes: []string{"disputes:read", "webhooks:write"}, RegisteredBy: "admin:key_0", CreatedAt: at(1), LastUsedAt: at(2)}
	other := store.App{ID: "app_2", Name: "Other", SecretHash: "ab", RedirectURIs: []string{"https://o.example/cb"}, Scopes: []string{"orders:read"},
		RegisteredBy: "self", CreatedAt: at(3)}
	grant := func(kind, sig, request, app string, expires int64) store.OAuthGrant {
		return store.OAuthGrant{Signature: sig, Kind: kind, RequestID: request, AppID: app, UserID: "usr_1",
			RequestedScopes: []string{"disputes:read", "webhooks:write"}, GrantedScopes: []string{"disputes:read"},
			Form: "code_challenge=abc&redirect_uri=https%3A%2F%2Fx.example%2Fcb", RequestedAt: at(4), ExpiresAt: at(expires), Active: true}
	}
	code, access, refresh := grant(store.GrantCode, "sig", "req_1", a.ID, 100), grant(store.GrantAccess, "sig", "req_1", a.ID, 100), grant(store.GrantRefresh, "r1", "req_1", a.ID, 1000)
	for _, v := range []any{a, code} {
		allSet(t, v)
	}
	write(t, s, func(tx store.Tx) error {
		return errors.Join(tx.InsertApp(ctx, a), tx.InsertApp(ctx, other),
			tx.InsertOAuthGrant(ctx, code), tx.InsertOAuthGrant(ctx, access), tx.InsertOAuthGrant(ctx, refresh),
			tx.InsertOAuthGrant(ctx, grant(store.GrantAccess, "o1", "req_2", other.ID, 100)),
			tx.InsertWebhookEndpoint(ctx, store.WebhookEndpoint{ID: "we_app", URL: "https://x.example/h", Events: []string{"dispute.created"},
				Secret: "whsec_1", Enabled: true, DisableAfter: 5, AppID: a.ID, CreatedAt: at(5), UpdatedAt: at(5)}),
			tx.InsertWebhookEndpoint(ctx, store.WebhookEndpoint{ID: "we_own", URL: "https://m.example/h", Events: []string{"*"},
				Secret: "whsec_2", Enabled: true, DisableAfter: 5, CreatedAt: at(6), UpdatedAt: at(6)}))
	})
	got, err := s.GetApp(ctx, a.ID)
	noErr(t, "GetApp", err)
	same(t, "app", got, a)
	all, err := s.ListApps(ctx)
	noErr(t, "ListApps", err)
	same(t, "apps, newest first", ids(all, func(a store.App) string { return a.ID }), []string{"app_2", "app_1"})
	ep, err := s.GetWebhookEndpoint(ctx, "we_app")
	noErr(t, "GetWebhookEndpoint", err)
	same(t, "the endpoint's app", ep.AppID, a.ID)

	// A code and an access token may share a signature: kind tells them apart.
	gotCode, err := s.GetOAuthGrant(ctx, store.GrantCode, "sig")
	noErr(t, "GetOAuthGrant", err)
	same(t, "code", gotCode, code)
	if _, err := s.GetOAuthGrant(ctx, store.GrantRefresh, "sig"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a refresh token of another's signature: %v", err)
	}
	wantErr(t, "a grant inserted twice", s.Tx(ctx, func(tx store.Tx) error { return tx.InsertOAuthGrant(ctx, code) }), store.ErrConflict)
	n, err := s.CountOAuthConnections(ctx, a.ID, at(50))
	noErr(t, "CountOAuthConnections", err)
	same(t, "connections", n, 1)

	// Used, a code stays, inactive; a rotation ends the consent's refresh (kept, inactive) and
	// access tokens (gone).
	write(t, s, func(tx store.Tx) error {
		return errors.Join(tx.DeactivateOAuthGrant(ctx, store.GrantCode, "sig"),
			tx.DeactivateOAuthRequest(ctx, store.GrantRefresh, "req_1"), tx.DeleteOAuthRequest(ctx, store.GrantAccess, "req_1"))
	})
	gotCode, err = s.GetOAuthGrant(ctx, store.GrantCode, "sig")
	noErr(t, "GetOAuthGrant", err)
	gotRefresh, err := s.GetOAuthGrant(ctx, store.GrantRefresh, "r1")
	noErr(t, "GetOAuthGrant", err)
	if gotCode.Active || gotRefresh.Active {
		t.Fatalf("still active: code %v, refresh %v", gotCode.Active, gotRefresh.Active)
	}
	if _, err := s.GetOAuthGrant(ctx, store.GrantAccess, "sig"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a rotated consent's access token: %v", err)
	}
	if n, _ := s.CountOAuthConnections(ctx, a.ID, at(50)); n != 0 {
		t.Fatalf("%d connections after the rotation", n)
	}
	wantErr(t, "delete a grant that is gone", s.Tx(ctx, func(tx store.Tx) error { return tx.DeleteOAuthGrant(ctx, store.GrantAccess, "sig") }), store.ErrNotFound)

	// TouchApp moves last_used_at forward once a minute at most.
	write(t, s, func(tx store.Tx) error { return tx.TouchApp(ctx, other.ID, at(10)) })
	write(t, s, func(tx store.Tx) error {
		return tx.TouchApp(ctx, other.ID, at(10+int64(time.Minute/time.Millisecond)-1))
	})
	got, _ = s.GetApp(ctx, other.ID)
	same(t, "last used", got.LastUsedAt, at(10))

	// Purged: what expired before the time.
	var purged int
	write(t, s, func(tx store.Tx) (err error) { purged, err = tx.PurgeOAuthGrants(ctx, at(500)); return err })
	same(t, "purged", purged, 2) // the code and the other app's access token; the refresh token lives on

	// Removed, the app takes its grants and its endpoints; the merchant's endpoint stays.
	write(t, s, func(tx store.Tx) error { return tx.DeleteApp(ctx, a.ID) })
	if _, err := s.GetApp(ctx, a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("removed app: %v", err)
	}
	if _, err := s.GetOAuthGrant(ctx, store.GrantRefresh, "r1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a removed app's grant: %v", err)
	}
	es, err := s.ListWebhookEndpoints(ctx)
	noErr(t, "ListWebhookEndpoints", err)
	same(t, "endpoints left", ids(es, func(e store.WebhookEndpoint) string { return e.ID }), []string{"we_own"})
	wantErr(t, "remove a removed app", s.Tx(ctx, func(tx store.Tx) error { return tx.DeleteApp(ctx, a.ID) }), store.ErrNotFound)
	var gone int
	write(t, s, func(tx store.Tx) (err error) { gone, err = tx.DeleteOAuthGrantsOfApp(ctx, other.ID); return err })
	same(t, "the other app's grants deleted", gone, 0) // its one access token was purged
}
