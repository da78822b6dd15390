package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"mime"
	"net/http"
	"net/url"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"

	"disputed/internal/access"
	"disputed/internal/actor"
	"disputed/internal/hmacsig"
	"disputed/internal/money"
	"disputed/internal/outbound"
	"disputed/internal/provider/generic"
	"disputed/internal/store/pgtest"
	"disputed/internal/testenv"
)

// apiFuzz sends fuzzed requests to two real servers, one on SQLite and one on PostgreSQL, each
// with its job runner stopped so that only the request under test writes, and each with a
// fixture: objects in the states the routes act on. The two must answer alike.
type apiFuzz struct {
	stores []*fuzzStore
	// routes are the operations under test by id, read from the route table so that a new
	// route is fuzzed without a line here; ids is their sorted list, to pick one by a hash.
	routes map[string]fuzzRoute
	ids    []string
	// removable are the collections whose members a DELETE removes: what a fuzzed request
	// created there (a webhook endpoint, a panel, a block) is removed again, so that the server
	// does not slow down with every input.
	removable map[string]bool
}

type fuzzRoute struct {
	method, path string
	paged        bool // takes limit and cursor
	public       bool // needs no API key
}

// fuzzStore is one server and what the fuzzer knows about it.
type fuzzStore struct {
	kind string
	s    *testServer
	// version reads a number that moves whenever the server commits; nil on PostgreSQL, which
	// has no such number, so "a refusal changes nothing" is checked on SQLite.
	version func(t testing.TB) int64
	key     string // the API key requests use, when not the server's admin key
	fx      fixture
	seen    map[string][]byte // what each part of the fixture looked like when built
	stale   bool              // a request succeeded: the parts it changed are built anew
}

// fixture names the objects that paths and body placeholders refer to. A part that a request
// changed is built anew, so that every input meets the same states.
type fixture struct {
	customer, order, line, charge string            // a completed order with a line on a manual panel, and its charge; no dispute
	disputes                      map[string]string // one open dispute of each kind in disputeKinds
	endpoint, delivery, event     string
	job                           string
	providerEvent                 string // an alert of the generic provider, stored
	apiKey                        string // an agent key of its own, so that revoking it leaves the fuzzer's key alone
	user                          string // an agent user of the web UI, to disable, sign out or reset
	app                           string // a registered app, to disconnect or remove
	rule                          string // a disabled rule, to read, change or backtest
}

// What the fuzzer configures once per server.
const (
	fuzzPanel         = "fuzz-panel"
	fuzzGenericSecret = "fuzz_generic_secret_0123456789"
	fuzzStripeSecret  = "whsec_fuzz_stripe_0123456789"
)

// Targets: which dispute a dispute route acts on, which provider a webhook comes from.
var (
	disputeKinds  = []string{"chargeback", "inquiry", "alert", "marketplace", "manual"}
	providerKinds = []string{"generic", "stripe"}
)

// newAPIFuzz starts the servers and reads the routes of the given methods from the route table.
func newAPIFuzz(f *testing.F, methods ...string) *apiFuzz {
	f.Helper()
	a := &apiFuzz{routes: map[string]fuzzRoute{}, removable: map[string]bool{}}
	// Rate limits off: the fuzzers send thousands of requests a second, many without a key, and
	// the limits have tests of their own.
	env := map[string]string{outbound.AllowPrivateEnv: "1", "DISPUTED_RATE_LIMIT": "off", "DISPUTED_IP_RATE_LIMIT": "off"}
	stopped := func(m *Main) { m.JobLoop = false }
	db := filepath.Join(f.TempDir(), "disputed.db")
	lite := &fuzzStore{kind: "sqlite", s: startConfigured(f, db, stopped, env), version: dataVersion(f, db)}
	pg := &fuzzStore{kind: "postgres", s: startConfigured(f, pgtest.Database(f), stopped, env)}
	a.stores = []*fuzzStore{lite, pg}

	for path, item := range lite.s.main.server.API.OpenAPI().Paths {
		for method, op := range map[string]*huma.Operation{http.MethodGet: item.Get, http.MethodPost: item.Post, http.MethodDelete: item.Delete} {
			if method == http.MethodDelete && op != nil {
				a.removable[path[:strings.LastIndexByte(path, '/')]] = true
			}
			if op == nil || !slices.Contains(methods, method) || !strings.HasPrefix(path, "/v1/") {
				continue
			}
			if _, err := fillPath(path, "", fixture{}); err != nil {
				f.Fatalf("%s %s: %v", method, path, err)
			}
			// A list's CSV form takes the list's query but answers every row, not a page.
			paged := slices.ContainsFunc(op.Parameters, func(p *huma.Param) bool { return p.Name == "limit" && p.In == "query" }) &&
				!strings.HasSuffix(path, ".csv")
			public := op.Security != nil && len(op.Security) == 0
			a.routes[op.OperationID] = fuzzRoute{method: method, path: path, paged: paged, public: public}
			a.ids = append(a.ids, op.OperationID)
		}
	}
	slices.Sort(a.ids)
	for _, st := range a.stores {
		st.configure(f)
		st.build(f)
	}
	// The check that a refusal changed nothing must be able to fail.
	before := lite.version(f)
	want(f, lite.s.post("/v1/customers", map[string]any{"name": "Ada"}), 201)
	if lite.version(f) == before {
		f.Fatal("PRAGMA data_version did not move when the server committed")
	}
	return a
}

// dataVersion opens a read-only connection of its own to the SQLite file: its PRAGMA
// data_version changes whenever another connection, the server's, commits.
func dataVersion(f *testing.F, path string) func(testing.TB) int64 {
	db, err := sql.Open("sqlite", path+"?_pragma=query_only(1)")
	if err != nil {
		f.Fatal(err)
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = conn.Close(); _ = db.Close() })
	return func(t testing.TB) int64 {
		var v int64
		if err := conn.QueryRowContext(context.Background(), "PRAGMA data_version").Scan(&v); err != nil {
			t.Fatalf("PRAGMA data_version: %v", err)
		}
		return v
	}
}

// configure sets up what the fixtures need once: a manual panel, a generic and a Stripe
// provider, and a webhook endpoint for every event (never called: the job runner is stopped).
func (st *fuzzStore) configure(t testing.TB) {
	s := st.s.on(t)
	want(t, s.post("/v1/panels", map[string]any{"name": fuzzPanel, "type": "manual"}), 201)
	want(t, s.post("/v1/providers", map[string]any{"name": "generic", "type": "generic", "webhook_secret": fuzzGenericSecret}), 201)
	want(t, s.post("/v1/providers", map[string]any{"name": "stripe", "type": "stripe", "webhook_secret": fuzzStripeSecret}), 201)
	e := s.post("/v1/webhook_endpoints", map[string]any{"url": "http://127.0.0.1:9/hooks", "events": []string{"*"}})
	want(t, e, 201)
	st.fx.endpoint = e.str("id")
	u, err := s.main.server.Access.CreateUser(context.Background(), actor.System, access.UserParams{Email: "fuzz-agent@example.com",
		Role: string(actor.Agent), Password: "correct horse battery staple"})
	if err != nil {
		t.Fatal(err)
	}
	st.fx.user = u.ID
	body, _ := json.Marshal(map[string]any{"id": "fuzz-alert", "type": "alert", "alert_type": "tc40", "amount": "10.00",
		"currency": "USD", "arn": "74000000000000000000001", "happened_at": "2026-11-20T10:00:00Z"})
	ev := s.call(http.MethodPost, "/v1/providers/generic/webhook", body, "X-Signature", generic.Sign(fuzzGenericSecret, time.Now(), body),
		"Authorization", "")
	want(t, ev, 200)
	st.fx.providerEvent = ev.str("id")
}

// build makes a fresh fixture.
func (st *fuzzStore) build(t testing.TB) {
	st.fx.disputes, st.seen = map[string]string{}, map[string][]byte{}
	for _, part := range fixtureParts {
		st.buildPart(t, part)
	}
	s := st.s.on(t)
	st.fx.delivery = firstID(t, s, "/v1/webhook_endpoints/"+st.fx.endpoint+"/deliveries?limit=1")
	st.fx.event = firstID(t, s, "/v1/events?limit=1")
	st.fx.job = firstID(t, s, "/v1/jobs?limit=1")
	k := s.post("/v1/api_keys", map[string]any{"role": "agent", "name": "fuzz fixture"})
	want(t, k, 201)
	st.fx.apiKey = k.str("id")
	a := s.post("/v1/apps", map[string]any{"name": "fuzz fixture", "redirect_uris": []string{"https://app.example/cb"}, "scopes": []string{"disputes:read"}})
	want(t, a, 201)
	st.fx.app = a.str("id")
	r := s.post("/v1/rules", map[string]any{"name": "fuzz fixture", "when": "amount > 100", "action": "tag", "params": map[string]any{"tag": "fuzz"}})
	want(t, r, 201)
	st.fx.rule = r.str("id")
}

// fixtureParts are built on their own: the sale, and a dispute of each kind.
var fixtureParts = append([]string{"sale"}, disputeKinds...)

func (st *fuzzStore) buildPart(t testing.TB, part string) {
	s := st.s.on(t)
	var d response
	switch part {
	case "sale":
		st.fx.customer, st.fx.order, st.fx.charge = s.sale(1500, "USD", map[string]any{"panel": fuzzPanel, "external_id": "svc-1"})
		st.fx.line, _ = s.get("/v1/orders/" + st.fx.order).lines()[0]["id"].(string)
	case "marketplace":
		st.fx.disputes[part], _, _ = s.marketplaceDispute(2500, false)
	case "manual":
		_, ord, _ := s.sale(1200, "EUR")
		d = s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "PayPal case PP-D-1"})
	default:
		_, _, charge := s.sale(4999, "USD")
		body := map[string]any{"type": part, "transaction_id": charge, "reason": "fraudulent", "network_reason_code": "10.4",
			"due_by": "2030-01-01T00:00:00Z"}
		if part == "alert" {
			body["alert_type"] = "tc40"
		}
		d = s.post("/v1/disputes", body)
	}
	if d.status != 0 {
		want(t, d, 201)
		st.fx.disputes[part] = d.str("id")
	}
	st.seen[part] = st.look(t, part)
}

// look is what the API shows of a part of the fixture: when it differs from what it showed when
// built, a request changed it.
func (st *fuzzStore) look(t testing.TB, part string) []byte {
	s := st.s.on(t)
	paths := []string{"/v1/orders/" + st.fx.order, "/v1/transactions/" + st.fx.charge}
	if part != "sale" {
		paths = []string{"/v1/disputes/" + st.fx.disputes[part]}
	}
	return s.snapshot(paths...)
}

// refresh builds anew the parts of the fixture that a request changed.
func (st *fuzzStore) refresh(t testing.TB) {
	for _, part := range fixtureParts {
		if !bytes.Equal(st.look(t, part), st.seen[part]) {
			st.buildPart(t, part)
		}
	}
	st.stale = false
}

func firstID(t testing.TB, s *testServer, path string) string {
	r := s.get(path)
	want(t, r, 200)
	ids := r.ids()
	if len(ids) == 0 {
		t.Fatalf("%s is empty", path)
	}
	return ids[0]
}

// fillPath gives a route's path parameters, of the API or of the web UI, the fixture's objects;
// target picks the dispute or the provider.
func fillPath(template, target string, fx fixture) (string, error) {
	segs := strings.Split(template, "/")
	for i, seg := range segs {
		if !strings.HasPrefix(seg, "{") {
			continue
		}
		var v string
		switch segs[i-1] {
		case "customers":
			v = fx.customer
		case "orders":
			v = fx.order
		case "lines":
			v = fx.line
		case "transactions":
			v = fx.charge
		case "disputes":
			v = fx.disputes[pick(target, disputeKinds)]
		case "panels":
			v = fuzzPanel
		case "providers":
			v = pick(target, providerKinds)
		case "webhook_endpoints", "webhooks":
			v = fx.endpoint
		case "webhook_deliveries", "webhook-deliveries":
			v = fx.delivery
		case "events":
			v = fx.event
		case "jobs":
			v = fx.job
		case "provider_events", "provider-events":
			v = fx.providerEvent
		case "api_keys":
			v = fx.apiKey
		case "users":
			v = fx.user
		case "apps":
			v = fx.app
		case "rules":
			v = fx.rule
		case "blocklist":
			v = "blk_fuzz" // only DELETE has it, which the fuzzers do not send
		case "evidence":
			v = "evi_fuzz" // no such item (404): the fuzzers try the route's parameters, not a file
		case "imports":
			v = "imp_fuzz" // no such import (404): starting one would read a provider's history
		default:
			return "", fmt.Errorf("no fixture for the parameter %s of %s: add one to fillPath", seg, template)
		}
		segs[i] = v
	}
	return strings.Join(segs, "/"), nil
}

// pick is name when it is one of options, else the option its hash falls on, so that a seed
// names what it means and a mutated name still lands somewhere.
func pick(name string, options []string) string {
	if slices.Contains(options, name) {
		return name
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	return options[h.Sum32()%uint32(len(options))]
}

// placeholders in a fuzzed body or query stand for the fixture's objects, so that seeds reach
// past "no such order".
func (fx fixture) placeholders(target string) *strings.Replacer {
	return strings.NewReplacer("$customer", fx.customer, "$order", fx.order, "$line", fx.line, "$charge", fx.charge,
		"$dispute", fx.disputes[pick(target, disputeKinds)])
}

// fuzzAnswer is a response with what a refusal left behind.
type fuzzAnswer struct {
	response
	req     string // method and path, for messages
	changed bool   // the database changed (SQLite only)
}

// send sends one request to every server and checks what any answer must be; it returns the
// answers, SQLite's first.
func (a *apiFuzz) send(t *testing.T, route, target, query string, body []byte, headers ...string) []fuzzAnswer {
	t.Helper()
	rt := a.routes[pick(route, a.ids)]
	var answers []fuzzAnswer
	for _, st := range a.stores {
		if st.stale {
			st.refresh(t)
		}
		ans := st.request(t, rt, target, query, body, false, headers...)
		checkAnswer(t, st.kind, ans, false)
		a.settle(t, st, rt, ans)
		answers = append(answers, ans)
	}
	alike(t, rt, answers)
	return answers
}

// request sends one request to one server, with the fixture's objects in its path and in the
// placeholders of its query and body. A webhook is signed with its provider's secret, unless
// anonymous, which also sends no API key.
func (st *fuzzStore) request(t *testing.T, rt fuzzRoute, target, query string, body []byte, anonymous bool, headers ...string) fuzzAnswer {
	t.Helper()
	s := st.s.on(t)
	if st.key != "" {
		s = s.as(st.key)
	}
	path, _ := fillPath(rt.path, target, st.fx)
	if query != "" {
		path += "?" + escapeQuery(st.fx.placeholders(target).Replace(query))
	}
	var payload any
	hs := slices.Clone(headers)
	if anonymous {
		hs = append(hs, "Authorization", "")
	}
	if rt.method == http.MethodPost {
		b := []byte(st.fx.placeholders(target).Replace(string(body)))
		payload = b
		if strings.HasSuffix(rt.path, "/webhook") && !anonymous {
			hs = append(hs, "Authorization", "", "X-Signature", hmacsig.Sign(fuzzGenericSecret, time.Now(), b),
				"Stripe-Signature", hmacsig.Sign(fuzzStripeSecret, time.Now(), b))
		}
	}
	var before int64
	if st.version != nil {
		before = st.version(t)
	}
	r, err := s.send(rt.method, path, payload, hs...)
	if err != nil && strings.Contains(err.Error(), "invalid header field") {
		t.Skipf("no client can send this request: %v", err) // e.g. a header value with a line break
	} else if err != nil {
		t.Fatalf("%s %s on %s: %v", rt.method, path, st.kind, err)
	}
	return fuzzAnswer{response: r, req: rt.method + " " + path, changed: st.version != nil && st.version(t) != before}
}

// escapeQuery percent-encodes the bytes that may not stand in a query as they are (a space, a
// control character), as any client must: a request line with them is not HTTP, and the Go
// server refuses it before the API sees it. Everything else, and so every decoded value, is
// left to the fuzzer.
func escapeQuery(q string) string {
	var b strings.Builder
	for _, c := range []byte(q) {
		if c > ' ' && c < 0x7f && !strings.ContainsRune(`"#<>\^`+"`{|}", rune(c)) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// settle notes that a request succeeded, so that the fixture is looked at before the next one,
// and removes what it created in a collection the server would otherwise keep growing.
func (a *apiFuzz) settle(t *testing.T, st *fuzzStore, rt fuzzRoute, ans fuzzAnswer) {
	t.Helper()
	if ans.status < 300 && rt.method != http.MethodGet {
		st.stale = true
	}
	if ans.status == http.StatusCreated && a.removable[rt.path] {
		member := ans.str("id")
		if member == "" {
			member = ans.str("name")
		}
		want(t, st.s.on(t).call(http.MethodDelete, rt.path+"/"+url.PathEscape(member), nil), 200)
	}
}

// alike fails when SQLite and PostgreSQL answered a request differently.
func alike(t *testing.T, rt fuzzRoute, answers []fuzzAnswer) {
	t.Helper()
	if l, p := answers[0], answers[1]; l.status != p.status || l.errCode() != p.errCode() {
		t.Fatalf("%s %s: SQLite answers %d %s, PostgreSQL %d %s:\n%s\n%s", rt.method, rt.path, l.status, l.errCode(),
			p.status, p.errCode(), l.raw, p.raw)
	}
}

// checkAnswer checks what every answer of the API must be: never a server error; a refusal is
// the JSON error of api.md with a code, names the field when it is about one, and changes
// nothing (but the record of an Idempotency-Key, when keyed); a GET changes nothing; money shown
// is integer minor units that agree with their decimal strings.
func checkAnswer(t *testing.T, kind string, a fuzzAnswer, keyed bool) {
	t.Helper()
	req := a.req
	if a.status >= 500 || a.status < 200 {
		t.Fatalf("%s on %s: %d: %s", req, kind, a.status, a.raw)
	}
	if a.changed && ((a.status >= 400 && !keyed) || a.status == http.StatusUnauthorized || strings.HasPrefix(req, http.MethodGet)) {
		t.Fatalf("%s on %s answered %d and changed the database: %s", req, kind, a.status, a.raw)
	}
	if a.status >= 400 {
		testenv.WantErrorShape(t, a.response.wire())
		switch msg := a.str("error", "message"); {
		case (a.errCode() == "unknown_field" || a.errCode() == "unknown_parameter" || a.errCode() == "parameter_missing") && a.str("error", "param") == "":
			t.Errorf("%s on %s: %s names no field: %s", req, kind, a.errCode(), a.raw)
		case strings.HasPrefix(msg, ":") || strings.Contains(msg, "httpapi."):
			t.Errorf("%s on %s: the message is not for people: %s", req, kind, a.raw)
		}
		return
	}
	if ct, _, _ := mime.ParseMediaType(a.header.Get("Content-Type")); ct == "text/csv" {
		checkMoney(t, req, csvObjects(t, req+" on "+kind, a.raw))
		return
	}
	dec := json.NewDecoder(bytes.NewReader(a.raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s on %s: %d with a body that is not JSON: %v: %s", req, kind, a.status, err, a.raw)
	}
	checkMoney(t, req, v)
}

// csvObjects reads an export (a header row, then a row per object, as RFC 4180 says) into the
// objects checkMoney walks: each row's cells by their column's name, a number in an amount's
// column as a number, as JSON would give it (outcomes.csv's "amounts" names a currency).
func csvObjects(t *testing.T, req string, raw []byte) []any {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s: an export that is not CSV with a header row (%v): %s", req, err, raw)
	}
	var objects []any
	for _, row := range rows[1:] {
		o := map[string]any{}
		for i, column := range rows[0] {
			o[column] = row[i]
			if _, err := strconv.ParseFloat(row[i], 64); err == nil && strings.Contains(column, "amount") && !strings.HasSuffix(column, "_decimal") {
				o[column] = json.Number(row[i])
			}
		}
		objects = append(objects, o)
	}
	return objects
}

// checkMoney walks an answer: every amount is an integer, and an amount beside its currency
// agrees with its _decimal twin.
func checkMoney(t *testing.T, req string, v any) {
	t.Helper()
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			checkMoney(t, req, e)
		}
	case map[string]any:
		cur, _ := v["currency"].(string)
		for k, e := range v {
			n, isNum := e.(json.Number)
			if !isNum || !strings.Contains(k, "amount") {
				checkMoney(t, req, e)
				continue
			}
			minor, err := strconv.ParseInt(string(n), 10, 64)
			if err != nil {
				t.Fatalf("%s: %s is %s, not an integer amount", req, k, n)
			}
			dec, ok := v[k+"_decimal"].(string)
			if !ok || cur == "" {
				continue
			}
			if want, err := money.FormatDecimal(minor, cur); err != nil || want != dec {
				t.Fatalf("%s: %s %d %s is shown as %s_decimal %q (want %q, %v)", req, k, minor, cur, k, dec, want, err)
			}
		}
	}
}

// FuzzAPIBodies sends fuzzed bodies to every POST route of the API, as an admin, and checks the
// answers (see checkAnswer). A body's $customer, $order, $line, $charge and $dispute stand for
// the fixture's objects; the target picks the dispute (chargeback, inquiry, alert, marketplace,
// manual) or the provider (generic, stripe) of the path. Provider webhooks are signed with the
// provider's secret, so that the event's content is what is fuzzed.
func FuzzAPIBodies(f *testing.F) {
	a := newAPIFuzz(f, http.MethodPost)
	for _, id := range a.ids {
		f.Add(id, "chargeback", []byte(`{}`))
	}
	f.Fuzz(func(t *testing.T, route, target string, body []byte) {
		a.send(t, route, target, "", body)
	})
}

// FuzzAPIQuery sends fuzzed query strings (list filters, limit, cursor, page, dates) to every GET
// route of the API and checks the answers (see checkAnswer) and, for a paged list, its page: at
// most the limit asked for, at most 100, and a next_cursor that works whenever there is more. A
// query's $placeholders stand for the fixture's objects, as in FuzzAPIBodies.
func FuzzAPIQuery(f *testing.F) {
	a := newAPIFuzz(f, http.MethodGet)
	for _, id := range a.ids {
		f.Add(id, "chargeback", "limit=1")
	}
	f.Fuzz(func(t *testing.T, route, target, query string) {
		rt := a.routes[pick(route, a.ids)]
		for i, ans := range a.send(t, route, target, query, nil) {
			if ans.status != http.StatusOK || !rt.paged {
				continue
			}
			data, ok := ans.get("data").([]any)
			more, isBool := ans.get("has_more").(bool)
			if !ok || !isBool {
				t.Fatalf("a list without data or has_more: %s", ans.raw)
			}
			values, _ := url.ParseQuery(query)
			limit, err := strconv.Atoi(values.Get("limit"))
			if err != nil || len(values["limit"]) != 1 {
				limit = 100
			}
			if len(data) > min(limit, 100) {
				t.Fatalf("%d objects on a page, limit %d", len(data), limit)
			}
			// The fixture has far fewer than a million objects of any kind.
			if page, err := strconv.ParseInt(values.Get("page"), 10, 64); err == nil && values.Get("cursor") == "" &&
				page > 1_000_000 && len(data) > 0 {
				t.Fatalf("page %d shows %d objects: pages past the end are empty", page, len(data))
			}
			if !more {
				continue
			}
			next := ans.str("next_cursor")
			if next == "" {
				t.Fatalf("has_more without a next_cursor: %s", ans.raw)
			}
			st := a.stores[i]
			path, _ := fillPath(rt.path, target, st.fx)
			want(t, st.s.on(t).get(path+"?limit=1&cursor="+url.QueryEscape(next)), http.StatusOK)
		}
	})
}

// FuzzAPIIdempotency sends a POST with a fuzzed Idempotency-Key three times, with a fresh API key
// each input: the repeat must get the first answer again, marked Idempotent-Replayed and
// changing nothing; the same key with another body must get 422 idempotency_mismatch and change
// nothing. anonymous sends no API key (and no webhook signature): without one, on any route, the
// key is ignored and a refusal stores nothing.
func FuzzAPIIdempotency(f *testing.F) {
	a := newAPIFuzz(f, http.MethodPost)
	f.Add("4f1c2b9e-7d3a-4c8e-9b6f-1a2d3e4f5a6b", "create-customer", false, []byte(`{"email":"ada@example.com"}`))
	f.Add("k", "create-customer", true, []byte(`{}`))
	f.Fuzz(func(t *testing.T, key, route string, anonymous bool, body []byte) {
		if key == "" {
			return // without a key a POST is not idempotent
		}
		rt := a.routes[pick(route, a.ids)]
		var firsts []fuzzAnswer
		for _, st := range a.stores {
			if st.stale {
				st.refresh(t)
			}
			st.key = st.s.on(t).newKey(actor.Admin, "")
			first := st.request(t, rt, "", "", body, anonymous, "Idempotency-Key", key)
			keyed := !anonymous && !rt.public
			checkAnswer(t, st.kind, first, keyed)
			if !keyed {
				a.settle(t, st, rt, first)
				firsts = append(firsts, first)
				continue
			}
			if first.errCode() == "invalid_idempotency_key" && len(key) <= 255 && utf8.ValidString(key) {
				t.Fatalf("key %q of %d bytes refused: %s", key, len(key), first.raw)
			}
			if first.status >= 400 && first.errCode() != "" && first.str("error", "param") == "Idempotency-Key" {
				a.settle(t, st, rt, first)
				firsts = append(firsts, first)
				continue
			}
			again := st.request(t, rt, "", "", body, anonymous, "Idempotency-Key", key)
			if again.status != first.status || !replayOf(first.raw, again.raw) || again.changed {
				t.Fatalf("%s on %s repeated with key %q: %d %q (changed: %v), first %d %q", first.req, st.kind, key,
					again.status, again.raw, again.changed, first.status, first.raw)
			}
			if again.header.Get("Idempotent-Replayed") != "true" {
				t.Fatalf("%s on %s: a replay without Idempotent-Replayed: true", first.req, st.kind)
			}
			other := st.request(t, rt, "", "", append(slices.Clone(body), ' '), anonymous, "Idempotency-Key", key)
			if other.status != http.StatusUnprocessableEntity || other.errCode() != "idempotency_mismatch" || other.changed {
				t.Fatalf("%s on %s with key %q and another body: %d %s (changed: %v)", first.req, st.kind, key, other.status, other.raw, other.changed)
			}
			a.settle(t, st, rt, first)
			firsts = append(firsts, first)
		}
		for _, st := range a.stores {
			st.key = ""
		}
		alike(t, rt, firsts)
	})
}

// replayOf tells whether again is first as a repeat must answer it: byte for byte, or, for an
// answer that showed a secret once (an API key's, a webhook endpoint's), the same object without
// its top-level secret, which is never kept (httpapi's idempotent).
func replayOf(first, again []byte) bool {
	if bytes.Equal(first, again) {
		return true
	}
	var f, a map[string]any
	if json.Unmarshal(first, &f) != nil || json.Unmarshal(again, &a) != nil {
		return false
	}
	_, shown := f["secret"]
	_, kept := a["secret"]
	delete(f, "secret")
	return shown && !kept && reflect.DeepEqual(f, a)
}

// marketplaceDispute is a completed order between a buyer and a vendor, charged, with a marketplace
// dispute the buyer opened and an admin moved to review.
func (s *testServer) marketplaceDispute(amount int64, review bool) (dsp, ord, charge string) {
	s.t.Helper()
	_, ord, charge = s.sale(amount, "usd", map[string]any{"panel": "manual", "external_id": "svc-1"})
	d := s.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": ord, "initiated_by": "buyer",
		"description": "not as described"})
	want(s.t, d, 201)
	if review {
		want(s.t, s.post("/v1/disputes/"+d.str("id")+"/status", map[string]any{"status": "pending_review"}), 200)
	}
	return d.str("id"), ord, charge
}
