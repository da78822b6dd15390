package httpapi_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"disputed/internal/httpapi"
	"disputed/internal/password"
	"disputed/internal/server"
	"disputed/internal/testenv"
)

// What needs the process (DISPUTED_ADMIN_KEY across a restart, the apikey commands) is in
// cmd/disputed/api_keys_test.go.

// apiKeyIn returns the key with that id from a list of keys, failing the test when it is not
// there.
func apiKeyIn(t *testing.T, list httpapi.List[httpapi.APIKey], id string) httpapi.APIKey {
	t.Helper()
	for _, k := range list.Data {
		if k.ID == id {
			return k
		}
	}
	t.Fatalf("key %s is not listed: %+v", id, list.Data)
	return httpapi.APIKey{}
}

// apiKeys lists the keys as the admin client c reads them.
func apiKeys(t *testing.T, c *testenv.Client) httpapi.List[httpapi.APIKey] {
	t.Helper()
	return testenv.Want[httpapi.List[httpapi.APIKey]](t, c.Get("/v1/api_keys?limit=100"), 200)
}

// servedAdminKeyID is the id of the key the served client sends, the one DISPUTED_ADMIN_KEY
// names.
func servedAdminKeyID(t *testing.T, c *testenv.Client) string {
	t.Helper()
	for _, k := range apiKeys(t, c).Data {
		if k.Name == "DISPUTED_ADMIN_KEY" {
			return k.ID
		}
	}
	t.Fatal("no DISPUTED_ADMIN_KEY key is listed")
	return ""
}

// anotherInstance assembles and serves a second server on the Env's store, as a second process
// on the same database, and returns c sending its requests there.
func anotherInstance(t *testing.T, e *testenv.Env, c *testenv.Client) *testenv.Client {
	t.Helper()
	s, err := server.New(e.Store, server.Options{Now: e.Clock.Now, Hasher: password.NewTestHasher()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler)
	t.Cleanup(srv.Close)
	other := c.As(c.Key)
	other.URL = srv.URL
	return other
}

// TestAPIKeyLifecycle creates a key through the API, uses it, lists it and revokes it: from the
// next request on it is refused, on this server and on another one sharing the database, and it
// stays listed with who revoked it and when.
func TestAPIKeyLifecycle(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		cus := e.Sale(testenv.SaleParams{}).Customer
		created := testenv.Want[httpapi.NewAPIKey](t, c.Post("/v1/api_keys", map[string]any{"role": "buyer", "party_id": cus.ID, "name": "  Ada's portal  "}), 201)
		id, secret := created.ID, created.Secret
		if !strings.HasPrefix(secret, "sk_") || len(secret) < 32 || created.Prefix != secret[:8] ||
			created.Role != "buyer" || created.PartyID == nil || *created.PartyID != cus.ID || created.Name != "Ada's portal" ||
			created.RevokedAt != nil {
			t.Fatalf("created key: %+v", created)
		}
		buyer := c.As(secret)
		testenv.WantStatus(t, buyer.Get("/v1/customers/"+cus.ID), 200)
		testenv.WantError(t, buyer.Get("/v1/api_keys"), 403, "forbidden") // a buyer key is not an admin key

		other := anotherInstance(t, e, c)
		testenv.WantStatus(t, other.As(secret).Get("/v1/customers/"+cus.ID), 200)

		raw := c.Get("/v1/api_keys")
		list := testenv.Want[httpapi.List[httpapi.APIKey]](t, raw, 200)
		hash := sha256.Sum256([]byte(secret))
		if bytes.Contains(raw.Raw, []byte(secret)) || bytes.Contains(raw.Raw, []byte(hex.EncodeToString(hash[:]))) ||
			bytes.Contains(raw.Raw, []byte(`"secret"`)) || bytes.Contains(raw.Raw, []byte(`"hash"`)) {
			t.Fatalf("the list shows a secret or a hash: %s", raw)
		}
		if len(list.Data) != 2 || list.Data[0].ID != id { // newest first, then DISPUTED_ADMIN_KEY's
			t.Fatalf("listed keys %+v, want %s first of two", list.Data, id)
		}
		if k := apiKeyIn(t, list, id); k.Prefix != secret[:8] || k.RevokedAt != nil {
			t.Fatalf("listed key: %+v", k)
		}

		answer := c.Post("/v1/api_keys/"+id+"/revoke", nil)
		revoked := testenv.Want[httpapi.APIKey](t, answer, 200)
		if revoked.RevokedAt == nil || revoked.RevokedBy == nil || *revoked.RevokedBy != "admin:"+servedAdminKeyID(t, c) ||
			bytes.Contains(answer.Raw, []byte(`"secret"`)) {
			t.Fatalf("revoked key: %s", answer)
		}
		for _, srv := range []*testenv.Client{c, other} {
			testenv.WantError(t, srv.As(secret).Get("/v1/customers/"+cus.ID), 401, "invalid_api_key")
		}
		if k := apiKeyIn(t, apiKeys(t, c), id); k.RevokedAt == nil || !k.RevokedAt.Equal(*revoked.RevokedAt) ||
			k.RevokedBy == nil || *k.RevokedBy != *revoked.RevokedBy {
			t.Fatalf("the revoked key is listed as %+v", k)
		}

		// Revoking it again changes nothing: the first revocation stands.
		again := c.Post("/v1/api_keys/"+id+"/revoke", nil)
		testenv.WantStatus(t, again, 200)
		if !bytes.Equal(again.Raw, answer.Raw) {
			t.Errorf("revoked twice: %s, first %s", again, answer)
		}
		testenv.WantError(t, c.Post("/v1/api_keys/key_nope/revoke", nil), 404, "not_found")
	})
}

// TestAPIKeyRoles checks that only admins manage keys, and that an admin key may revoke itself
// (it is refused from its next request on).
func TestAPIKeyRoles(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		target := testenv.Want[httpapi.NewAPIKey](t, c.Post("/v1/api_keys", map[string]any{"role": "agent"}), 201)
		for _, secret := range []string{e.NewKey("agent", ""), e.NewKey("buyer", "cus_1"), e.NewKey("vendor", "ven_1")} {
			k := c.As(secret)
			before := c.Get("/v1/api_keys?limit=100").Raw
			testenv.WantError(t, k.Get("/v1/api_keys"), 403, "forbidden")
			testenv.WantError(t, k.Post("/v1/api_keys", map[string]any{"role": "admin"}), 403, "forbidden")
			testenv.WantError(t, k.Post("/v1/api_keys/"+target.ID+"/revoke", nil), 403, "forbidden")
			if after := c.Get("/v1/api_keys?limit=100").Raw; !bytes.Equal(before, after) {
				t.Fatalf("a refused request changed the keys:\n%s\n%s", before, after)
			}
		}

		admin := testenv.Want[httpapi.NewAPIKey](t, c.Post("/v1/api_keys", map[string]any{"role": "admin", "name": "ops"}), 201)
		self := c.As(admin.Secret)
		answer := self.Post("/v1/api_keys/"+admin.ID+"/revoke", nil)
		if r := testenv.Want[httpapi.APIKey](t, answer, 200); r.RevokedBy == nil || *r.RevokedBy != "admin:"+admin.ID {
			t.Errorf("revoked by another than the key itself: %s", answer)
		}
		testenv.WantError(t, self.Get("/v1/api_keys"), 401, "invalid_api_key")
	})
}

// TestAPIKeyBadInput sends keys the API must refuse: each answer names the field, and nothing is
// created.
func TestAPIKeyBadInput(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		before := c.Get("/v1/api_keys?limit=100").Raw
		for _, tc := range []struct {
			body        any
			status      int
			code, param string
		}{
			{map[string]any{}, 422, "parameter_missing", "role"},
			{map[string]any{"role": "root"}, 422, "invalid_value", "role"},
			{map[string]any{"role": 5}, 400, "invalid_type", "role"},
			{map[string]any{"role": "buyer"}, 422, "parameter_missing", "party_id"},
			{map[string]any{"role": "vendor", "party_id": ""}, 422, "parameter_missing", "party_id"},
			{map[string]any{"role": "agent", "party_id": "cus_1"}, 422, "invalid_value", "party_id"},
			{map[string]any{"role": "admin", "party_id": "ven_1"}, 422, "invalid_value", "party_id"},
			{map[string]any{"role": "buyer", "party_id": strings.Repeat("c", 65)}, 422, "invalid_value", "party_id"},
			{map[string]any{"role": "agent", "name": strings.Repeat("n", 201)}, 422, "invalid_value", "name"},
			{map[string]any{"role": "agent", "secret": "sk_chosen_by_me_000000"}, 400, "unknown_field", "secret"},
			{`{"role": "agent"`, 400, "malformed_json", ""},
		} {
			r := c.Post("/v1/api_keys", tc.body)
			testenv.WantErrorShape(t, r)
			testenv.WantError(t, r, tc.status, tc.code, tc.param)
		}
		if after := c.Get("/v1/api_keys?limit=100").Raw; !bytes.Equal(before, after) {
			t.Fatalf("a refused request changed the keys:\n%s\n%s", before, after)
		}
	})
}

// TestRevokedKey sends a revoked key to every route that needs one: each answers 401
// invalid_api_key, as for a secret no key has, before it looks at anything else.
func TestRevokedKey(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		k := testenv.Want[httpapi.NewAPIKey](t, c.Post("/v1/api_keys", map[string]any{"role": "admin"}), 201)
		testenv.WantStatus(t, c.Post("/v1/api_keys/"+k.ID+"/revoke", nil), 200)
		param := regexp.MustCompile(`\{[a-z_]+\}`)
		checked := 0
		for _, route := range e.Server.API.Routes() {
			if e.Server.API.Public(route) {
				continue
			}
			method, pattern, _ := strings.Cut(route, " ")
			path := param.ReplaceAllString(pattern, "x")
			var body any
			if method == http.MethodPost {
				body = map[string]any{}
			}
			for _, secret := range []string{k.Secret, "sk_not_a_key_at_all_0000"} {
				testenv.WantError(t, c.As(secret).Do(method, path, body), 401, "invalid_api_key")
			}
			checked++
		}
		if checked < 50 {
			t.Fatalf("only %d routes checked", checked)
		}
	})
}
