package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"disputed/internal/panel/paneltest"
	"disputed/internal/secretbox"
	"disputed/internal/store"
	"disputed/internal/webhook/webhooktest"
)

// The secrets the tests configure, each unique enough that finding it anywhere in the database
// means it is kept there as it is.
const (
	sealedStripeAPIKey = "sk_test_sealed_api_key_5f0c1e"
	sealedFeedSecret   = "feed_secret_sealed_7a9d2b"
)

// secretKey is the DISPUTED_SECRET_KEY a command needs on the server's database: the test key on
// PostgreSQL, none on SQLite, where the key file beside the database holds the key.
func (s *testServer) secretKey() string {
	if isPostgres(s.main.Config.DB) {
		return testSecretKey
	}
	return ""
}

// openDB opens the database a server runs on, to read it as it is stored.
func openDB(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	driver := "sqlite"
	if isPostgres(dsn) {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// storedText is every value of every row of every table, as text.
func storedText(t *testing.T, dsn string) string {
	t.Helper()
	db := openDB(t, dsn)
	list := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if isPostgres(dsn) {
		list = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	var out strings.Builder
	for _, table := range column(t, db, list) {
		eachRow(t, db, table, func(vals []any) {
			for _, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				fmt.Fprintf(&out, "%s: %v\n", table, v)
			}
		})
	}
	return out.String()
}

// eachRow calls fn with each row of the table, its values as the driver reads them.
func eachRow(t *testing.T, db *sql.DB, table string, fn func(vals []any)) {
	t.Helper()
	rows, err := db.Query(`SELECT * FROM "` + table + `"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fn(vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

// column is the first column of what q returns, as text.
func column(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v sql.NullString
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v.String)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// storedSecrets is every secret column as stored, empty ones left out.
func storedSecrets(t *testing.T, dsn string) []string {
	t.Helper()
	db := openDB(t, dsn)
	var out []string
	for _, q := range []string{"SELECT webhook_secret FROM providers", "SELECT api_key FROM providers", "SELECT secret FROM panels",
		"SELECT secret FROM webhook_endpoints", "SELECT previous_secret FROM webhook_endpoints", "SELECT sealed FROM secret_key_check"} {
		for _, v := range column(t, db, q) {
			if v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// noneStored fails when the database holds any of the secrets as it is.
func noneStored(t *testing.T, dsn string, secrets ...string) {
	t.Helper()
	text := storedText(t, dsn)
	for _, s := range secrets {
		if s == "" {
			t.Fatal("an empty secret to look for")
		}
		if strings.Contains(text, s) {
			t.Errorf("the database holds the secret %q in plain text", s)
		}
	}
}

// sealedServer is a server with its clock and job runner in the test's hands, allowed to reach
// the test's receivers on loopback, with a Stripe provider, a generic feed, an http panel "xui"
// and a webhook endpoint configured; it returns the endpoint's secret.
func sealedServer(t *testing.T, db string, env map[string]string) (*testServer, *paneltest.Panel, *webhooktest.Receiver, string) {
	t.Helper()
	c := newClock()
	vars := map[string]string{"DISPUTED_WEBHOOK_ALLOW_PRIVATE": "1"}
	for k, v := range env {
		vars[k] = v
	}
	s := startConfigured(t, db, func(m *Main) { m.Now, m.JobLoop = c.Now, false }, vars)
	want(t, s.post("/v1/providers", map[string]any{"name": "stripe", "type": "stripe", "webhook_secret": stripeSecret, "api_key": sealedStripeAPIKey}), 201)
	want(t, s.post("/v1/providers", map[string]any{"name": "alerts", "type": "generic", "webhook_secret": sealedFeedSecret}), 201)
	p := paneltest.Start(t, c.Now)
	want(t, s.post("/v1/panels", map[string]any{"name": "xui", "type": "http", "config": map[string]any{"base_url": p.URL + "/api", "secret": paneltest.Secret}}), 201)
	r := webhooktest.Start(t)
	ep := s.post("/v1/webhook_endpoints", map[string]any{"url": r.URL + "/hook", "events": []string{"dispute.created"}})
	want(t, ep, 201)
	r.Setup(ep.str("secret"), 0)
	return s, p, r, ep.str("secret")
}

// restart starts the server again on its database with env, after stopping it.
func (s *testServer) restart(t *testing.T, db string, env map[string]string) *testServer {
	t.Helper()
	if err := s.main.Close(); err != nil {
		t.Fatal(err)
	}
	c := newClock()
	vars := map[string]string{"DISPUTED_WEBHOOK_ALLOW_PRIVATE": "1"}
	for k, v := range env {
		vars[k] = v
	}
	return startConfigured(t, db, func(m *Main) { m.Now, m.JobLoop = c.Now, false }, vars)
}

// usesSecrets checks that the server verifies the Stripe provider's signatures, signs its panel
// calls and its webhook deliveries with the secrets configured: it opens what it sealed.
func usesSecrets(t *testing.T, s *testServer, p *paneltest.Panel, r *webhooktest.Receiver, event string) {
	t.Helper()
	now := s.main.Now()
	if got := postStripeAt(s, now, stripeEvent(event, "charge.dispute.created", "needs_response", "ch_unknown_"+event, now), stripeSecret); got.status != 200 {
		t.Fatalf("a Stripe event signed with its secret: %d %s", got.status, got.raw)
	}
	if got := postStripeAt(s, now, stripeEvent(event+"_forged", "charge.dispute.created", "needs_response", "ch_x", now), "whsec_wrong"); got.status != 401 {
		t.Fatalf("a forged Stripe event: %d %s", got.status, got.raw)
	}
	calls, delivered := len(p.CallsTo("/suspend")), len(r.Deliveries())
	_, ord, _ := s.sale(1500, "usd", map[string]any{"panel": "xui", "external_id": "u-" + event})
	want(t, s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "PayPal case"}), 201)
	s.runJobs()
	if got := p.CallsTo("/suspend"); len(got) != calls+1 || !got[len(got)-1].Signed {
		t.Fatalf("the panel call is not signed with the panel's secret: %+v", got)
	}
	if got := r.Deliveries(); len(got) <= delivered || got[len(got)-1].ValidSigs != 1 {
		t.Fatalf("the webhook delivery is not signed with the endpoint's secret: %+v", got)
	}
}

// TestSecuritySecretsSealedAtRest: the secrets of providers, panels and webhook endpoints are
// nowhere in the database as they are, and the server still uses them, after a restart too.
func TestSecuritySecretsSealedAtRest(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s, p, r, endpointSecret := sealedServer(t, db, nil)
		noneStored(t, db, stripeSecret, sealedStripeAPIKey, sealedFeedSecret, paneltest.Secret, endpointSecret)
		for _, v := range storedSecrets(t, db) {
			if !secretbox.Sealed(v) {
				t.Errorf("a secret column holds %q, not a sealed value", v)
			}
		}
		usesSecrets(t, s, p, r, "evt_sealed_1")
		rotated := s.post("/v1/webhook_endpoints/"+s.get("/v1/webhook_endpoints").list()[0]["id"].(string)+"/rotate_secret", nil)
		want(t, rotated, 200)
		r.Setup(rotated.str("secret"), 0)
		noneStored(t, db, endpointSecret, rotated.str("secret"))

		s = s.restart(t, db, nil)
		usesSecrets(t, s, p, r, "evt_sealed_2")
	})
}

// startError runs a server on db with env and returns why it did not start.
func startError(t *testing.T, db string, env map[string]string) error {
	t.Helper()
	vars := map[string]string{"DISPUTED_DATABASE_URL": db, "DISPUTED_LOG_LEVEL": "warn"}
	for k, v := range env {
		vars[k] = v
	}
	m := NewMain(func(k string) string { return vars[k] }, io.Discard)
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0"}); err != nil {
		t.Fatal(err)
	}
	err := m.Run(context.Background())
	if err == nil {
		_ = m.Close()
		t.Fatalf("the server started on %s with %v", db, env)
	}
	return err
}

// TestSecurityWrongSecretKeyRefusesToStart: a server given another key than the one the secrets
// were sealed under refuses to start, saying so, instead of failing on the first secret it reads.
func TestSecurityWrongSecretKeyRefusesToStart(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		first := map[string]string{secretKeyEnv: secretbox.NewKey()}
		s, _, _, _ := sealedServer(t, db, first)
		if err := s.main.Close(); err != nil {
			t.Fatal(err)
		}
		err := startError(t, db, map[string]string{secretKeyEnv: secretbox.NewKey()})
		if !errors.Is(err, store.ErrSecretKey) || !strings.Contains(err.Error(), secretKeyEnv) {
			t.Fatalf("started with another key: %v", err)
		}
		if err := startError(t, db, map[string]string{secretKeyEnv: "not a key"}); !strings.Contains(err.Error(), secretKeyEnv) {
			t.Fatalf("started with a key that is no key: %v", err)
		}
		if !isPostgres(db) { // PostgreSQL's key file is in the working directory: TestSecuritySecretKeyGeneratedOnPostgres
			// Without the variable, a key file is generated beside the database; the database
			// refuses it, and the file is not left behind to be taken for the right key.
			err := startError(t, db, map[string]string{secretKeyEnv: ""})
			if !errors.Is(err, store.ErrSecretKey) || !strings.Contains(err.Error(), db+".key") {
				t.Fatalf("started with a generated key: %v", err)
			}
			if _, err := os.Stat(db + ".key"); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("the refused key file is left behind: %v", err)
			}
		}
		startConfigured(t, db, nil, first) // the right key still opens them
	})
}

// TestSecuritySecretKeyGeneratedOnFirstStart: without DISPUTED_SECRET_KEY a SQLite server
// generates its key beside the database, readable by its user only, and reads it on every start.
func TestSecuritySecretKeyGeneratedOnFirstStart(t *testing.T) {
	t.Parallel()
	db := dbFor(t, "sqlite")
	generatedKeyServes(t, db, db+".key", nil)
}

// TestSecuritySecretKeyGeneratedOnPostgres: without DISPUTED_SECRET_KEY a server on PostgreSQL
// generates its key into disputed.key in its working directory, readable by its user only, and
// reads it on the next start. Not parallel: the working directory is the whole process's.
func TestSecuritySecretKeyGeneratedOnPostgres(t *testing.T) {
	t.Chdir(t.TempDir())
	generatedKeyServes(t, dbFor(t, "postgres"), postgresKeyFile, map[string]string{secretKeyEnv: ""})
}

// generatedKeyServes starts a server on db with env, which lacks a secret key: the key file it
// generates at path is readable by its user only, seals every secret, and opens them on the next
// start, as the file or as the variable.
func generatedKeyServes(t *testing.T, db, path string, env map[string]string) {
	t.Helper()
	s, p, r, _ := sealedServer(t, db, env)
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the key file: %v, %v", info, err)
	}
	key, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ring, err := secretbox.Parse(strings.TrimSpace(string(key)))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range storedSecrets(t, db) {
		if secretbox.KeyOf(v) != ring.SealingKey() {
			t.Errorf("%q is not sealed under the key file's key %s", v, ring.SealingKey())
		}
	}
	s = s.restart(t, db, env)
	usesSecrets(t, s, p, r, "evt_generated")
	// The same key given in the variable opens them as well.
	s.restart(t, db, map[string]string{secretKeyEnv: strings.TrimSpace(string(key))})
}

// TestSecuritySecretKeyRotation: started with "new,old", the server seals every secret again
// under the new key; the old key can then go.
func TestSecuritySecretKeyRotation(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		oldKey, newKey := secretbox.NewKey(), secretbox.NewKey()
		s, p, r, _ := sealedServer(t, db, map[string]string{secretKeyEnv: oldKey})
		before := storedSecrets(t, db)
		s = s.restart(t, db, map[string]string{secretKeyEnv: newKey + "," + oldKey})
		next, _ := secretbox.Parse(newKey)
		after := storedSecrets(t, db)
		if len(after) != len(before) || len(after) < 6 {
			t.Fatalf("%d secrets before the rotation, %d after", len(before), len(after))
		}
		for _, v := range after {
			if secretbox.KeyOf(v) != next.SealingKey() {
				t.Errorf("%q is not sealed under the new key %s", v, next.SealingKey())
			}
		}
		usesSecrets(t, s, p, r, "evt_rotating")
		s = s.restart(t, db, map[string]string{secretKeyEnv: newKey})
		usesSecrets(t, s, p, r, "evt_rotated")
	})
}

// TestSecurityPlainTextSecretsSealedAtStart: a database from before secrets were sealed (no key
// check, every secret as it was given) has them all sealed when the server starts.
func TestSecurityPlainTextSecretsSealedAtStart(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s, p, r, endpointSecret := sealedServer(t, db, nil)
		endpoint := s.get("/v1/webhook_endpoints").list()[0]["id"].(string)
		if err := s.main.Close(); err != nil {
			t.Fatal(err)
		}
		raw := openDB(t, db)
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{"DELETE FROM secret_key_check", nil},
			{"UPDATE providers SET webhook_secret = $1, api_key = $2 WHERE name = 'stripe'", []any{stripeSecret, sealedStripeAPIKey}},
			{"UPDATE providers SET webhook_secret = $1 WHERE name = 'alerts'", []any{sealedFeedSecret}},
			{"UPDATE panels SET secret = $1 WHERE name = 'xui'", []any{paneltest.Secret}},
			{"UPDATE webhook_endpoints SET secret = $1 WHERE id = $2", []any{endpointSecret, endpoint}},
		} {
			if _, err := raw.Exec(q.sql, q.args...); err != nil {
				t.Fatalf("%s: %v", q.sql, err)
			}
		}
		if plain := slices.DeleteFunc(storedSecrets(t, db), secretbox.Sealed); len(plain) != 5 {
			t.Fatalf("plain-text secrets planted: %q", plain)
		}
		s = s.restart(t, db, nil)
		noneStored(t, db, stripeSecret, sealedStripeAPIKey, sealedFeedSecret, paneltest.Secret, endpointSecret)
		usesSecrets(t, s, p, r, "evt_from_before")
	})
}

// TestSecuritySealedSecretBoundToItsPlace: a sealed secret copied onto another row (one provider's
// webhook secret given to another, by someone who can write the database but has not the key)
// does not open there: the server refuses to start, naming it, rather than verifying one
// provider's events with another's secret.
func TestSecuritySealedSecretBoundToItsPlace(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s, _, _, _ := sealedServer(t, db, map[string]string{secretKeyEnv: testSecretKey})
		if err := s.main.Close(); err != nil {
			t.Fatal(err)
		}
		_, err := openDB(t, db).Exec("UPDATE providers SET webhook_secret = (SELECT webhook_secret FROM providers WHERE name = 'stripe') WHERE name = 'alerts'")
		if err != nil {
			t.Fatal(err)
		}
		err = startError(t, db, map[string]string{secretKeyEnv: testSecretKey})
		if !errors.Is(err, secretbox.ErrCorrupt) || !strings.Contains(err.Error(), "providers alerts, webhook_secret") {
			t.Fatalf("started with a moved secret: %v", err)
		}
	})
}
