package main

// The API of keys is tested in internal/httpapi/apikeys_test.go; what is here needs the process:
// DISPUTED_ADMIN_KEY across a restart, and the apikey commands.

import (
	"bytes"
	"context"
	"io"
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
