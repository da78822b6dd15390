package access_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"disputed/internal/access"
	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// TestAPIKeyLifecycle: a key's secret is returned once, its prefix kept to recognise it, its
// name trimmed; it authenticates as its role and party from then on, until it is revoked, which
// holds at once and is kept with who revoked it and when. Revoking again changes nothing.
func TestAPIKeyLifecycle(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, e *env) {
		admin := actor.Key("key_admin", actor.Admin, "")
		secret, k, err := e.CreateAPIKey(e.ctx, admin, access.APIKeyParams{Role: "buyer", PartyID: "cus_1", Name: "  Ada's portal  "})
		noErr(t, "create", err)
		if !strings.HasPrefix(secret, "sk_") || len(secret) < 32 || k.Prefix != secret[:8] || !strings.HasPrefix(k.ID, "key_") ||
			k.Role != "buyer" || k.PartyID != "cus_1" || k.Name != "Ada's portal" || k.Revoked() || strings.Contains(k.Hash, secret) {
			t.Fatalf("created %q: %+v", secret, k)
		}
		who, err := e.Authenticate(e.ctx, secret)
		if noErr(t, "authenticate", err); who != actor.Key(k.ID, actor.Buyer, "cus_1") {
			t.Fatalf("authenticated as %+v", who)
		}

		e.clock.Advance(time.Second)
		revoked, err := e.RevokeAPIKey(e.ctx, admin, k.ID)
		if noErr(t, "revoke", err); !revoked.RevokedAt.Equal(t0.Add(time.Second)) || revoked.RevokedBy != admin.String() {
			t.Fatalf("revoked: %+v", revoked)
		}
		_, err = e.Authenticate(e.ctx, secret)
		wantCode(t, "a revoked key", err, fault.CodeInvalidAPIKey)
		e.clock.Advance(time.Second)
		again, err := e.RevokeAPIKey(e.ctx, actor.System, k.ID)
		if noErr(t, "revoke again", err); !again.RevokedAt.Equal(revoked.RevokedAt) || again.RevokedBy != revoked.RevokedBy {
			t.Fatalf("revoked again: %+v, want %+v", again, revoked)
		}
		keys, _, err := e.APIKeys(e.ctx, admin, store.Page{})
		if noErr(t, "list", err); len(keys) != 1 || keys[0].ID != k.ID || !keys[0].Revoked() || keys[0].RevokedBy != admin.String() {
			t.Fatalf("keys: %+v", keys)
		}
		_, err = e.RevokeAPIKey(e.ctx, admin, "key_nothing")
		wantCode(t, "revoke an unknown key", err, fault.CodeNotFound)

		_, err = e.Authenticate(e.ctx, "")
		wantCode(t, "no key", err, fault.CodeUnauthenticated)
		_, err = e.Authenticate(e.ctx, "sk_not_a_key_at_all_0000")
		wantCode(t, "a secret no key has", err, fault.CodeInvalidAPIKey)
	})
}

// TestAPIKeyRules: only admins (and the system) manage keys; a buyer or vendor key names its
// party, a staff key none; a role must be known, a name at most 200 characters; nothing refused
// is kept. Keys are listed newest first, a page at a time.
func TestAPIKeyRules(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, e *env) {
		for _, tc := range []struct {
			p           access.APIKeyParams
			code, param string
		}{
			{access.APIKeyParams{}, fault.CodeInvalidValue, "role"},
			{access.APIKeyParams{Role: "root"}, fault.CodeInvalidValue, "role"},
			{access.APIKeyParams{Role: "buyer"}, fault.CodeParameterMissing, "party_id"},
			{access.APIKeyParams{Role: "vendor"}, fault.CodeParameterMissing, "party_id"},
			{access.APIKeyParams{Role: "agent", PartyID: "cus_1"}, fault.CodeInvalidValue, "party_id"},
			{access.APIKeyParams{Role: "admin", PartyID: "ven_1"}, fault.CodeInvalidValue, "party_id"},
			{access.APIKeyParams{Role: "agent", Name: strings.Repeat("n", 201)}, fault.CodeInvalidValue, "name"},
		} {
			_, _, err := e.CreateAPIKey(e.ctx, actor.System, tc.p)
			wantParam(t, tc.p.Role+" "+tc.p.PartyID, err, tc.code, tc.param)
		}
		for _, who := range []actor.Actor{actor.Key("key_a", actor.Agent, ""), actor.User("usr_b", actor.Buyer, "cus_1")} {
			_, _, err := e.CreateAPIKey(e.ctx, who, access.APIKeyParams{Role: "agent"})
			wantCode(t, who.String()+" creating a key", err, fault.CodeForbidden)
			_, _, err = e.APIKeys(e.ctx, who, store.Page{})
			wantCode(t, who.String()+" listing keys", err, fault.CodeForbidden)
			_, err = e.RevokeAPIKey(e.ctx, who, "key_a")
			wantCode(t, who.String()+" revoking a key", err, fault.CodeForbidden)
		}
		if keys, _, err := e.APIKeys(e.ctx, actor.System, store.Page{}); err != nil || len(keys) != 0 {
			t.Fatalf("keys after refusals: %+v %v", keys, err)
		}

		var ids []string
		for _, role := range []string{"admin", "agent", "agent"} {
			_, k, err := e.CreateAPIKey(e.ctx, actor.System, access.APIKeyParams{Role: role})
			noErr(t, "create "+role, err)
			ids = append(ids, k.ID)
			e.clock.Advance(time.Millisecond)
		}
		page, more, err := e.APIKeys(e.ctx, actor.System, store.Page{Limit: 2})
		if noErr(t, "first page", err); !more || len(page) != 2 || page[0].ID != ids[2] || page[1].ID != ids[1] {
			t.Fatalf("first page: %+v, more %v", page, more)
		}
		last := page[1]
		page, more, err = e.APIKeys(e.ctx, actor.System, store.Page{Limit: 2, AfterCreated: last.CreatedAt, AfterID: last.ID})
		if noErr(t, "second page", err); more || len(page) != 1 || page[0].ID != ids[0] {
			t.Fatalf("second page: %+v, more %v", page, more)
		}
	})
}

// TestEnsureAdminKey: DISPUTED_ADMIN_KEY becomes one admin key, however often the server starts;
// a short secret is refused; a revoked one stays revoked and authenticates nothing, with a
// warning; an example secret from the README works but is called out at every start.
func TestEnsureAdminKey(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, e *env) {
		var logs bytes.Buffer
		s := access.New(e.store, access.Options{Now: e.clock.Now, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		err := s.EnsureAdminKey(e.ctx, "too-short")
		wantParam(t, "a short secret", err, fault.CodeInvalidValue, "DISPUTED_ADMIN_KEY")

		const secret = "a-secret-of-the-operator-0123456789"
		for range 2 {
			noErr(t, "ensure the admin key", s.EnsureAdminKey(e.ctx, secret))
		}
		keys, _, err := s.APIKeys(e.ctx, actor.System, store.Page{})
		if noErr(t, "list", err); len(keys) != 1 || keys[0].Role != "admin" || keys[0].Name != "DISPUTED_ADMIN_KEY" {
			t.Fatalf("keys: %+v", keys)
		}
		who, err := s.Authenticate(e.ctx, secret)
		if noErr(t, "authenticate", err); who != actor.Key(keys[0].ID, actor.Admin, "") {
			t.Fatalf("authenticated as %+v", who)
		}
		if strings.Contains(logs.String(), "example secret") || strings.Contains(logs.String(), "revoked") {
			t.Fatalf("warnings about a good key: %s", logs.String())
		}

		_, err = s.RevokeAPIKey(e.ctx, who, keys[0].ID)
		noErr(t, "the admin key revokes itself", err)
		noErr(t, "ensure a revoked admin key", s.EnsureAdminKey(e.ctx, secret))
		_, err = s.Authenticate(e.ctx, secret)
		wantCode(t, "a revoked DISPUTED_ADMIN_KEY", err, fault.CodeInvalidAPIKey)
		if keys, _, _ := s.APIKeys(e.ctx, actor.System, store.Page{}); len(keys) != 1 {
			t.Fatalf("keys after ensuring a revoked one: %+v", keys)
		}
		if !strings.Contains(logs.String(), "DISPUTED_ADMIN_KEY is a revoked key") || !strings.Contains(logs.String(), keys[0].ID) {
			t.Fatalf("no warning about the revoked key: %s", logs.String())
		}

		noErr(t, "ensure an example key", s.EnsureAdminKey(e.ctx, "sk_admin_change_me_0123456789"))
		if !strings.Contains(logs.String(), "example secret published in the README") {
			t.Fatalf("no warning about the example key: %s", logs.String())
		}
		_, err = s.Authenticate(e.ctx, "sk_admin_change_me_0123456789")
		noErr(t, "the example key authenticates", err)
	})
}
