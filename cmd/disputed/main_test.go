package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"testing"
	"time"

	"go.uber.org/goleak"

	"disputed/internal/access"
	"disputed/internal/actor"
	"disputed/internal/password"
	"disputed/internal/store/pgtest"
	"disputed/internal/store/postgres"
	"disputed/internal/store/sqlite"
	"disputed/internal/store/sqlitetest"
	"disputed/internal/testenv"
)

// TestMain runs the tests with the throwaway PostgreSQL, stops it, and then fails the package if a
// test left a goroutine behind (a server not closed, a client's idle connection). Started with
// asMainEnv=1, the test binary is disputed itself, for a test that kills a whole process.
func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	goleak.VerifyTestMain(pgtest.Wrap(m))
}

// asMainEnv makes the test binary run as disputed (see TestMain).
const asMainEnv = "DISPUTED_TEST_AS_MAIN"

const testAdminKey = "sk_test_admin_0123456789abcdef"

// testSecretKey seals the secrets of the test servers on PostgreSQL, whose generated key would go
// to the working directory (this package's folder, shared by every test); on SQLite each server
// generates one beside its database, as a first start does.
const testSecretKey = "dGVzdCBzZWNyZXQga2V5IDAxMjM0NTY3ODlhYmNkZWY="

// server is a running disputed on a random loopback port, on a fresh database.
type testServer struct {
	t      testing.TB
	base   string
	main   *Main
	key    string
	client *http.Client
	// api sends the requests of call and send (with key).
	api *testenv.Client
}

// startServer runs the real server with the real store of the given kind ("sqlite" or "postgres").
func startServer(t testing.TB, kind string, env map[string]string) *testServer {
	t.Helper()
	return startServerOn(t, dbFor(t, kind), env)
}

// The migrated databases the test servers start on: migrated once per test binary and copied,
// which spares every server start the migrations (on a first start the server runs them).
var (
	sqliteTemplate   = sqlitetest.NewTemplate(sqlite.Migrate)
	postgresTemplate = pgtest.NewTemplate(postgres.Migrate)
)

// dbFor returns a database of its own for t, of the given kind ("sqlite" or "postgres"),
// with the schema up to date and no rows: a SQLite file without its key file, which the server
// generates, or a PostgreSQL URL.
func dbFor(t testing.TB, kind string) string {
	t.Helper()
	if kind == "postgres" {
		return postgresTemplate.Database(t)
	}
	return sqliteTemplate.Database(t)
}

// startServerOn runs the real server on the database db names.
func startServerOn(t testing.TB, db string, envs ...map[string]string) *testServer {
	t.Helper()
	return startConfigured(t, db, nil, envs...)
}

// startConfigured runs the real server on db after setup has adjusted its Main (an injected
// clock, the job runner left to the test). Its passwords are hashed at the test cost unless setup
// gives it another Hasher (the tests of the hasher's bound keep the production cost).
func startConfigured(t testing.TB, db string, setup func(*Main), envs ...map[string]string) *testServer {
	t.Helper()
	vars := map[string]string{"DISPUTED_ADMIN_KEY": testAdminKey, "DISPUTED_DATABASE_URL": db, "DISPUTED_LOG_LEVEL": "warn"}
	if isPostgres(db) {
		vars[secretKeyEnv] = testSecretKey
	}
	for _, env := range envs {
		for k, v := range env {
			vars[k] = v
		}
	}
	m := NewMain(func(k string) string { return vars[k] }, io.Discard)
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0"}); err != nil {
		t.Fatal(err)
	}
	m.Hasher = password.NewTestHasher()
	if setup != nil {
		setup(m)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("start server on %s: %v", db, err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close server: %v", err)
		}
	})
	// Each server has its own client, whose idle connections are closed before the server
	// shuts down: a connection the client dialled but never used would otherwise hold Shutdown
	// for 5 s.
	return newTestServer(t, "http://"+m.Addr(), testAdminKey, m)
}

// newTestServer is a client of the server at base sending key: m's, or a process's the test
// started (m nil).
func newTestServer(t testing.TB, base, key string, m *Main) *testServer {
	api := testenv.NewClient(t, base, key).AwaitingInbox(testAdminKey)
	return &testServer{t: t, base: base, main: m, key: key, client: api.HTTP(), api: api}
}

// eachStore runs fn against a server on SQLite and one on PostgreSQL.
func eachStore(t *testing.T, fn func(t *testing.T, s *testServer)) {
	t.Helper()
	eachStoreEnv(t, nil, fn)
}

// eachStoreEnv is eachStore with servers started with env.
func eachStoreEnv(t *testing.T, env map[string]string, fn func(t *testing.T, s *testServer)) {
	t.Helper()
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			fn(t, startServer(t, kind, env))
		})
	}
}

// response is a decoded answer.
type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

func (r response) str(path ...string) string {
	v, _ := r.get(path...).(string)
	return v
}

func (r response) num(path ...string) int64 {
	v, _ := r.get(path...).(float64)
	return int64(v)
}

func (r response) get(path ...string) any {
	var v any = r.body
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func (r response) list() []map[string]any {
	data, _ := r.body["data"].([]any)
	out := make([]map[string]any, 0, len(data))
	for _, d := range data {
		m, _ := d.(map[string]any)
		out = append(out, m)
	}
	return out
}

func (r response) errCode() string { return r.str("error", "code") }

// wire is the answer as testenv's typed checks take it.
func (r response) wire() testenv.Response {
	return testenv.Response{Status: r.status, Header: r.header, Raw: r.raw}
}

// call sends a request with the server's key (or the key given in headers' Authorization).
func (s *testServer) call(method, path string, body any, headers ...string) response {
	s.t.Helper()
	r, err := s.send(method, path, body, headers...)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

// send is call that reports a failure instead of ending the test, for use in goroutines.
// headers are name, value pairs set after the defaults (Content-Type, Authorization).
func (s *testServer) send(method, path string, body any, headers ...string) (response, error) {
	r, err := s.api.As(s.key).Send(method, path, body, headers...)
	if err != nil {
		return response{}, err
	}
	out := response{status: r.Status, header: r.Header, raw: r.Raw}
	_ = json.Unmarshal(r.Raw, &out.body)
	return out, nil
}

func (s *testServer) post(path string, body any, headers ...string) response {
	s.t.Helper()
	if body == nil {
		body = map[string]any{}
	}
	return s.call(http.MethodPost, path, body, headers...)
}

func (s *testServer) get(path string) response {
	s.t.Helper()
	return s.call(http.MethodGet, path, nil)
}

// on returns the client reporting to t, for use inside a subtest of the test that started it.
func (s *testServer) on(t testing.TB) *testServer {
	c := *s
	c.t = t
	return &c
}

// newKey creates an API key the way `disputed apikey create` does and returns its secret.
// Buyer and vendor keys are bound to party.
func (s *testServer) newKey(role actor.Role, party string) string {
	s.t.Helper()
	secret, _, err := s.main.server.Access.CreateAPIKey(context.Background(), actor.System,
		access.APIKeyParams{Role: string(role), PartyID: party, Name: string(role) + " key"})
	if err != nil {
		s.t.Fatalf("create %s key: %v", role, err)
	}
	return secret
}

// objs returns the array of objects at path (nil when there is none), e.g. a charge's refunds.
func (r response) objs(path ...string) []map[string]any {
	arr, _ := r.get(path...).([]any)
	out := make([]map[string]any, 0, len(arr))
	for _, v := range arr {
		m, _ := v.(map[string]any)
		out = append(out, m)
	}
	if arr == nil {
		return nil
	}
	return out
}

// lines returns an order's lines.
func (r response) lines() []map[string]any { return r.objs("lines") }

// ids returns the ids of a list's objects, in order.
func (r response) ids() []string {
	var out []string
	for _, o := range r.list() {
		id, _ := o["id"].(string)
		out = append(out, id)
	}
	return out
}

// as returns a client of the same server using another API key.
func (s *testServer) as(key string) *testServer {
	c := *s
	c.key = key
	return &c
}

// want fails the test when the response does not have the status (and, if given, the error code).
func want(t testing.TB, r response, status int, code ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
	if len(code) > 0 && r.errCode() != code[0] {
		t.Fatalf("error code %q, want %q: %s", r.errCode(), code[0], r.raw)
	}
}

// sale creates a customer, a completed order of amount in cur with optional line specs, and its
// Stripe charge, whose provider_reference is "ch_" + the order id; it returns the customer, order
// and charge ids.
func (s *testServer) sale(amount int64, cur string, lines ...map[string]any) (string, string, string) {
	s.t.Helper()
	c := s.post("/v1/customers", map[string]any{"email": "buyer" + time.Now().Format("150405.000000") + "@example.com", "name": "Ada"})
	want(s.t, c, 201)
	item := map[string]any{"description": "IPTV 12 months", "amount": amount, "quantity": 1}
	if len(lines) > 0 {
		item["line"] = lines[0]
	}
	o := s.post("/v1/orders", map[string]any{"customer_id": c.str("id"), "currency": cur, "items": []any{item}})
	want(s.t, o, 201)
	want(s.t, s.post("/v1/orders/"+o.str("id")+"/complete", nil), 200)
	ch := s.post("/v1/transactions", map[string]any{"type": "charge", "amount": amount, "currency": cur, "order_id": o.str("id"),
		"provider": "stripe", "provider_reference": "ch_" + o.str("id")})
	want(s.t, ch, 201)
	return c.str("id"), o.str("id"), ch.str("id")
}

// panel registers a panel plugin unless one of that name exists.
func (s *testServer) panel(p map[string]any) {
	s.t.Helper()
	r := s.post("/v1/panels", p)
	if r.status != 201 && r.errCode() != "panel_exists" {
		s.t.Fatalf("register panel %v: %d %s", p["name"], r.status, r.raw)
	}
}

// user creates a web UI user the way `disputed user create` does and returns its password.
func (s *testServer) user(email string, role actor.Role, party string) string {
	s.t.Helper()
	pw := testenv.Password
	if _, err := s.main.server.Access.CreateUser(context.Background(), actor.System, access.UserParams{Email: email, Role: string(role),
		PartyID: party, Password: pw}); err != nil {
		s.t.Fatal(err)
	}
	return pw
}

// snapshot reads everything a rejected request could have changed, as the API shows it.
func (s *testServer) snapshot(paths ...string) []byte {
	s.t.Helper()
	var b bytes.Buffer
	for _, p := range paths {
		r := s.get(p)
		want(s.t, r, 200)
		fmt.Fprintf(&b, "%s\n%s\n", p, r.raw)
	}
	return b.Bytes()
}
