package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestVersionAndUsage(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"version"}, envOf(nil), &out, &errOut); err != nil || !strings.HasPrefix(out.String(), "disputed ") {
		t.Fatalf("version: %v %q", err, out.String())
	}
	if err := run(context.Background(), nil, envOf(nil), &out, &errOut); !errors.Is(err, errUsage) || !strings.Contains(errOut.String(), "usage:") {
		t.Fatalf("no command: %v %q", err, errOut.String())
	}
	if err := run(context.Background(), []string{"frobnicate"}, envOf(nil), &out, &errOut); !errors.Is(err, errUsage) {
		t.Fatalf("unknown command: %v", err)
	}
}

// TestServeWithNoFlagsCreatesTheDatabase runs `serve` as a newcomer would, in an empty folder:
// it creates disputed.db in WAL mode and answers on the default address's port.
func TestServeWithNoFlagsCreatesTheDatabase(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	m := NewMain(envOf(nil), io.Discard)
	if err := m.ParseFlags(nil); err != nil {
		t.Fatal(err)
	}
	if m.Config.Addr != "127.0.0.1:8080" || m.Config.DB != "disputed.db" {
		t.Fatalf("defaults: %+v", m.Config)
	}
	m.Config.Addr = "127.0.0.1:0" // the default port may be taken on a test machine
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	head := make([]byte, 100)
	f, err := os.Open(filepath.Join(dir, "disputed.db"))
	if err != nil {
		t.Fatalf("disputed.db not created: %v", err)
	}
	defer f.Close()
	if _, err := io.ReadFull(f, head); err != nil {
		t.Fatal(err)
	}
	// SQLite header bytes 18 and 19 are the read and write format versions: 2 means WAL.
	if !bytes.HasPrefix(head, []byte("SQLite format 3\x00")) || head[18] != 2 || head[19] != 2 {
		t.Fatalf("disputed.db is not a SQLite database in WAL mode: % x", head[:20])
	}
	s := newTestServer(t, "http://"+m.Addr(), "", m)
	want(t, s.call("GET", "/healthz", nil), 200)
	want(t, s.get("/v1/disputes"), 401, "unauthenticated")
	want(t, s.as("sk_nope_0000000000000000").get("/v1/disputes"), 401, "invalid_api_key")
}

// TestAPIKeyCreateAndMigrate makes keys with the CLI and uses them against a server on the same file.
func TestAPIKeyCreateAndMigrate(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "keys.db")
	env := envOf(map[string]string{"DISPUTED_DATABASE_URL": db})
	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate"}, env, &out, io.Discard); err != nil || !strings.Contains(out.String(), "up to date") {
		t.Fatalf("migrate: %v %q", err, out.String())
	}
	create := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"apikey", "create"}, args...), env, &out, io.Discard)
		secret, _, _ := strings.Cut(out.String(), "\n")
		return secret, err
	}
	agent, err := create("--role", "agent", "--name", "support")
	if err != nil || !strings.HasPrefix(agent, "sk_") {
		t.Fatalf("agent key: %v %q", err, agent)
	}
	if _, err := create("--role", "buyer"); err == nil {
		t.Fatal("a buyer key without --party was accepted")
	}
	if _, err := create("--role", "root"); err == nil {
		t.Fatal("an unknown role was accepted")
	}
	raw, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(agent)) {
		t.Fatal("the key's secret is stored in the database; only its hash may be")
	}
	s := startServerOn(t, db).as(agent)
	want(t, s.get("/v1/disputes"), 200)
	want(t, s.get("/v1/settings"), 403, "forbidden")
}

// TestServeStopsOnSignal runs `disputed serve` the way main does and cancels its context, as
// SIGTERM does: the command returns cleanly, and the data is there for the next start.
func TestServeStopsOnSignal(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "signal.db")
	port := freePort(t)
	env := envOf(map[string]string{"DISPUTED_DATABASE_URL": db, "DISPUTED_ADMIN_KEY": testAdminKey, "DISPUTED_LOG_LEVEL": "error"})
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--addr", port}, env, io.Discard, io.Discard) }()
	s := newTestServer(t, "http://"+port, testAdminKey, nil)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if resp, err := http.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("serve did not come up")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cus := s.post("/v1/customers", map[string]any{"email": "kept@example.com"})
	want(t, cus, 201)
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after the signal", err)
		}
	case <-time.After(35 * time.Second):
		t.Fatal("serve did not stop after the signal")
	}
	again := startServerOn(t, db)
	if got := again.get("/v1/customers/" + cus.str("id")); got.str("email") != "kept@example.com" {
		t.Fatalf("after the restart: %s", got.raw)
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestProviderAdd configures a provider from the command line, its secret from the environment
// (never from the command line), and from DISPUTED_STRIPE_WEBHOOK_SECRET at start.
func TestProviderAdd(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "providers.db")
	env := envOf(map[string]string{"DISPUTED_DATABASE_URL": db, "FEED_SECRET": "feed-secret-1"})
	var out bytes.Buffer
	err := run(context.Background(), []string{"provider", "add", "--name", "alerts", "--type", "generic", "--webhook-secret-env", "FEED_SECRET"}, env, &out, io.Discard)
	if err != nil || !strings.Contains(out.String(), "/v1/providers/alerts/webhook") {
		t.Fatalf("provider add: %v %q", err, out.String())
	}
	if err := run(context.Background(), []string{"provider", "add", "--name", "x", "--type", "bitcoin", "--webhook-secret-env", "FEED_SECRET"}, env, io.Discard, io.Discard); err == nil {
		t.Fatal("an unknown provider type was accepted")
	}
	s := startServerOn(t, db, map[string]string{"DISPUTED_STRIPE_WEBHOOK_SECRET": "whsec_from_env"})
	ps := s.get("/v1/providers").list()
	if len(ps) != 2 || ps[0]["name"] != "alerts" || ps[1]["name"] != "stripe" || ps[1]["webhook_secret_set"] != true {
		t.Fatalf("providers: %v", ps)
	}
	if strings.Contains(s.get("/v1/providers/stripe").str("webhook_secret"), "whsec") {
		t.Fatal("a provider's secret is shown")
	}
}
