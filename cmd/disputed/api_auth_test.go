package main

// Who sees what through the API is tested in internal/httpapi/auth_test.go; what is here needs the
// process: the apikey create command.

import (
	"bytes"
	"context"
	"encoding/hex"
	"net/http"
	"os"
	"testing"
)

// TestAPIKeyCommand creates keys with `disputed apikey create` against the server's database,
// and checks that they work at once and that only their hashes are stored.
func TestAPIKeyCommand(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		db := s.main.Config.DB
		env := envOf(map[string]string{secretKeyEnv: s.secretKey()})
		var out bytes.Buffer
		err := run(context.Background(), []string{"apikey", "create", "--role", "agent", "--name", "support-desk", "--db", db}, env, &out, &out)
		if err != nil {
			t.Fatalf("apikey create: %v\n%s", err, out.Bytes())
		}
		secret := string(bytes.TrimSpace(bytes.SplitN(out.Bytes(), []byte("\n"), 2)[0]))
		if len(secret) < 20 {
			t.Fatalf("no secret printed: %q", out.Bytes())
		}
		agent := s.as(secret)
		want(t, agent.get("/v1/disputes"), 200)
		want(t, agent.get("/v1/settings"), 403, "forbidden")

		err = run(context.Background(), []string{"apikey", "create", "--role", "buyer", "--db", db}, env, &out, &out)
		if err == nil {
			t.Errorf("a buyer key without --party was created")
		}

		if !isPostgres(db) {
			// The secret is not in the database file nor its write-ahead log.
			marker := "marker-" + hex.EncodeToString([]byte(t.Name()))
			want(t, s.post("/v1/customers", map[string]any{"email": "m@example.com", "name": marker}), 201)
			var raw []byte
			for _, f := range []string{db, db + "-wal"} {
				b, err := os.ReadFile(f)
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				raw = append(raw, b...)
			}
			if !bytes.Contains(raw, []byte(marker)) {
				t.Fatalf("the database files do not hold the data just written: cannot check for the secret")
			}
			for _, sec := range []string{secret, testAdminKey} {
				if bytes.Contains(raw, []byte(sec)) {
					t.Errorf("the API key secret %q is stored in the database", sec[:6]+"…")
				}
			}
		}
		want(t, s.call(http.MethodGet, "/v1/disputes", nil, "Authorization", "Bearer "+secret+"x"), 401, "invalid_api_key")
	})
}
