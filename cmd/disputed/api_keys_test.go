package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

// keyIn returns the key with that id from a list of keys, failing the test when it is not there.
func keyIn(t *testing.T, list response, id string) map[string]any {
	t.Helper()
	for _, k := range list.list() {
		if k["id"] == id {
			return k
		}
	}
	t.Fatalf("key %s is not listed: %s", id, list.raw)
	return nil
}

// adminKeyID is the id of the DISPUTED_ADMIN_KEY key, the one the test server's client uses.
func (s *testServer) adminKeyID() string {
	s.t.Helper()
	for _, k := range s.get("/v1/api_keys?limit=100").list() {
		if k["name"] == "DISPUTED_ADMIN_KEY" {
			return k["id"].(string)
		}
	}
	s.t.Fatal("no DISPUTED_ADMIN_KEY key is listed")
	return ""
}

// TestAPIKeyLifecycle creates a key through the API, uses it, lists it and revokes it: from the
// next request on it is refused, on this server and on another one sharing the database, and it
// stays listed with who revoked it and when.
func TestAPIKeyLifecycle(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		cus := s.post("/v1/customers", map[string]any{"email": "ada@example.com"})
		want(t, cus, 201)
		created := s.post("/v1/api_keys", map[string]any{"role": "buyer", "party_id": cus.str("id"), "name": "  Ada's portal  "})
		want(t, created, 201)
		id, secret := created.str("id"), created.str("secret")
		if !strings.HasPrefix(secret, "sk_") || len(secret) < 32 || created.str("prefix") != secret[:8] ||
			created.str("role") != "buyer" || created.str("party_id") != cus.str("id") || created.str("name") != "Ada's portal" ||
			created.get("revoked_at") != nil {
			t.Fatalf("created key: %s", created.raw)
		}
		buyer := s.as(secret)
		want(t, buyer.get("/v1/customers/"+cus.str("id")), 200)
		want(t, buyer.get("/v1/api_keys"), 403, "forbidden") // a buyer key is not an admin key

		other := startServerOn(t, s.main.Config.DB) // a second instance on the same database
		want(t, other.as(secret).get("/v1/customers/"+cus.str("id")), 200)

		list := s.get("/v1/api_keys")
		want(t, list, 200)
		hash := sha256.Sum256([]byte(secret))
		if bytes.Contains(list.raw, []byte(secret)) || bytes.Contains(list.raw, []byte(hex.EncodeToString(hash[:]))) ||
			bytes.Contains(list.raw, []byte(`"secret"`)) || bytes.Contains(list.raw, []byte(`"hash"`)) {
			t.Fatalf("the list shows a secret or a hash: %s", list.raw)
		}
		if ids := list.ids(); len(ids) != 2 || ids[0] != id { // newest first, then DISPUTED_ADMIN_KEY's
			t.Fatalf("listed keys %v, want %s first of two", ids, id)
		}
		if k := keyIn(t, list, id); k["prefix"] != secret[:8] || k["revoked_at"] != nil {
			t.Fatalf("listed key: %v", k)
		}

		revoked := s.post("/v1/api_keys/"+id+"/revoke", nil)
		want(t, revoked, 200)
		if revoked.str("revoked_at") == "" || revoked.str("revoked_by") != "admin:"+s.adminKeyID() || revoked.get("secret") != nil {
			t.Fatalf("revoked key: %s", revoked.raw)
		}
		for _, srv := range []*testServer{s, other} {
			want(t, srv.as(secret).get("/v1/customers/"+cus.str("id")), 401, "invalid_api_key")
		}
		if k := keyIn(t, s.get("/v1/api_keys"), id); k["revoked_at"] != revoked.str("revoked_at") || k["revoked_by"] != revoked.str("revoked_by") {
			t.Fatalf("the revoked key is listed as %v", k)
		}

		// Revoking it again changes nothing: the first revocation stands.
		again := s.post("/v1/api_keys/"+id+"/revoke", nil)
		want(t, again, 200)
		if !bytes.Equal(again.raw, revoked.raw) {
			t.Errorf("revoked twice: %s, first %s", again.raw, revoked.raw)
		}
		want(t, s.post("/v1/api_keys/key_nope/revoke", nil), 404, "not_found")
	})
}

// TestAPIKeyRoles checks that only admins manage keys, and that an admin key may revoke itself
// (it is refused from its next request on).
func TestAPIKeyRoles(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		target := s.post("/v1/api_keys", map[string]any{"role": "agent"})
		want(t, target, 201)
		for _, secret := range []string{s.newKey("agent", ""), s.newKey("buyer", "cus_1"), s.newKey("vendor", "ven_1")} {
			c := s.as(secret)
			before := s.get("/v1/api_keys?limit=100").raw
			want(t, c.get("/v1/api_keys"), 403, "forbidden")
			want(t, c.post("/v1/api_keys", map[string]any{"role": "admin"}), 403, "forbidden")
			want(t, c.post("/v1/api_keys/"+target.str("id")+"/revoke", nil), 403, "forbidden")
			if after := s.get("/v1/api_keys?limit=100").raw; !bytes.Equal(before, after) {
				t.Fatalf("a refused request changed the keys:\n%s\n%s", before, after)
			}
		}

		admin := s.post("/v1/api_keys", map[string]any{"role": "admin", "name": "ops"})
		want(t, admin, 201)
		self := s.as(admin.str("secret"))
		r := self.post("/v1/api_keys/"+admin.str("id")+"/revoke", nil)
		want(t, r, 200)
		if r.str("revoked_by") != "admin:"+admin.str("id") {
			t.Errorf("revoked by %q, want the key itself", r.str("revoked_by"))
		}
		want(t, self.get("/v1/api_keys"), 401, "invalid_api_key")
	})
}

// TestAPIKeyBadInput sends keys the API must refuse: each answer names the field, and nothing is
// created.
func TestAPIKeyBadInput(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		before := s.get("/v1/api_keys?limit=100").raw
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
			r := s.post("/v1/api_keys", tc.body)
			want(t, r, tc.status, tc.code)
			wantErrorBody(t, r)
			if r.str("error", "param") != tc.param {
				t.Errorf("%v: param %q, want %q", tc.body, r.str("error", "param"), tc.param)
			}
		}
		if after := s.get("/v1/api_keys?limit=100").raw; !bytes.Equal(before, after) {
			t.Fatalf("a refused request changed the keys:\n%s\n%s", before, after)
		}
	})
}

// TestRevokedKey sends a revoked key to every route that needs one: each answers 401
// invalid_api_key, as for a secret no key has, before it looks at anything else.
func TestRevokedKey(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	k := s.post("/v1/api_keys", map[string]any{"role": "admin"})
	want(t, k, 201)
	want(t, s.post("/v1/api_keys/"+k.str("id")+"/revoke", nil), 200)
	param := regexp.MustCompile(`\{[a-z_]+\}`)
	checked := 0
	for _, route := range s.main.server.API.Routes() {
		if s.main.server.API.Public(route) {
			continue
		}
		method, pattern, _ := strings.Cut(route, " ")
		path := param.ReplaceAllString(pattern, "x")
		var body any
		if method == http.MethodPost {
			body = map[string]any{}
		}
		for _, secret := range []string{k.str("secret"), "sk_not_a_key_at_all_0000"} {
			r := s.call(method, path, body, "Authorization", "Bearer "+secret)
			want(t, r, 401, "invalid_api_key")
		}
		checked++
	}
	if checked < 50 {
		t.Fatalf("only %d routes checked", checked)
	}
}

// lockedBuffer is a log output that the server writes while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestRevokedAdminKeyStaysRevoked revokes DISPUTED_ADMIN_KEY's key and starts a server with the
// same secret: it starts, warns, and the key stays revoked (no new key with that secret).
func TestRevokedAdminKeyStaysRevoked(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s := startServerOn(t, db)
		envKeyID := s.adminKeyID()
		ops := s.post("/v1/api_keys", map[string]any{"role": "admin", "name": "ops"})
		want(t, ops, 201)
		admin := s.as(ops.str("secret"))
		want(t, admin.post("/v1/api_keys/"+envKeyID+"/revoke", nil), 200)
		if err := s.main.Close(); err != nil {
			t.Fatal(err)
		}

		var logs lockedBuffer
		restarted := startConfigured(t, db, func(m *Main) { m.logOut = &logs }) // with the same DISPUTED_ADMIN_KEY
		if !strings.Contains(logs.String(), "DISPUTED_ADMIN_KEY is a revoked key") || !strings.Contains(logs.String(), envKeyID) {
			t.Errorf("no warning about the revoked DISPUTED_ADMIN_KEY: %s", logs.String())
		}
		want(t, restarted.get("/v1/disputes"), 401, "invalid_api_key")
		list := restarted.as(ops.str("secret")).get("/v1/api_keys?limit=100")
		var named []string
		for _, k := range list.list() {
			if k["name"] == "DISPUTED_ADMIN_KEY" {
				named = append(named, k["id"].(string))
			}
		}
		if !slices.Equal(named, []string{envKeyID}) || keyIn(t, list, envKeyID)["revoked_at"] == nil {
			t.Fatalf("DISPUTED_ADMIN_KEY keys after the restart: %v: %s", named, list.raw)
		}
	})
}

// TestAPIKeyCommands lists and revokes keys with `disputed apikey list` and `revoke` against a
// running server's database: the list has no secrets, and a revoked key is refused at once.
func TestAPIKeyCommands(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		db := s.main.Config.DB
		env := envOf(map[string]string{"DISPUTED_DATABASE_URL": db, secretKeyEnv: s.secretKey()})
		cli := func(args ...string) (string, error) {
			var out bytes.Buffer
			err := run(context.Background(), append([]string{"apikey"}, args...), env, &out, io.Discard)
			return out.String(), err
		}
		out, err := cli("create", "--role", "vendor", "--party", "ven_7", "--name", "shop")
		if err != nil {
			t.Fatal(err)
		}
		secret, _, _ := strings.Cut(out, "\n")
		id := regexp.MustCompile(`key_[0-9a-z]+`).FindString(out)
		want(t, s.as(secret).get("/v1/orders"), 200)

		out, err = cli("list")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out, secret) || !regexp.MustCompile(id+`\s+vendor\s+ven_7\s+`+regexp.QuoteMeta(secret[:8])+`\s+shop\s+\S+\s+-\n`).MatchString(out) ||
			!strings.Contains(out, "DISPUTED_ADMIN_KEY") {
			t.Fatalf("apikey list:\n%s", out)
		}

		if out, err = cli("revoke", id, "--db", db); err != nil || !strings.Contains(out, "revoked") {
			t.Fatalf("apikey revoke: %v %q", err, out)
		}
		want(t, s.as(secret).get("/v1/orders"), 401, "invalid_api_key")
		out, _ = cli("list")
		if !regexp.MustCompile(id + `.* by system\n`).MatchString(out) {
			t.Fatalf("the revoked key is not listed as revoked by the command line:\n%s", out)
		}
		if k := keyIn(t, s.get("/v1/api_keys"), id); k["revoked_by"] != "system" {
			t.Errorf("the API shows the key revoked by %v", k["revoked_by"])
		}

		for _, args := range [][]string{{"revoke"}, {"revoke", "key_nope"}, {"revoke", id, "extra"}, {"frobnicate"}, {}} {
			if out, err := cli(args...); err == nil {
				t.Errorf("apikey %v succeeded: %q", args, out)
			}
		}
	})
}
