package main

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"disputed/internal/actor"
	"disputed/internal/provider/generic"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// The authorization matrix: every route of the API and every page of the web UI, asked by every
// kind of caller, with the status each must get. The rows are matched against the servers' own
// route tables (httpapi's and web's Routes): a route without a row fails, and so does a row that
// names no route.
//
// The rule the rows follow (api.md): without a valid key every route that is not public answers
// 401; a role that may not do something gets 403 before anything is looked up, so that the 403
// tells nothing about the object; a buyer or vendor asking for another party's object gets 404,
// as for an id that does not exist (and, where a body names it, the same 422 as an unknown id).
// A caller that may gets the route's own answer: success, or a refusal of its values or of the
// object's state (409, 422) where the request is built to be refused after authorization, so
// that the rows stay independent of each other.
//
// Every answer that is an error is checked to have changed nothing in the database, and no error
// answer to another buyer or vendor names an id of the buyer's and vendor's objects that the
// request did not name itself.
//
// A bad key is a revoked key (a secret no key has gets the same answer: TestRevokedKey), and a
// bad session a cookie no session has, as after sign-out.
//
// The matrix runs on SQLite only: who may do what is decided in the app, above the store (the
// stores' party filters are in the conformance suite, which runs on both), and the check that
// nothing changed reads the SQLite file.

// caller is who sends a request in the matrix.
type caller string

const (
	anonymous   caller = "no key or session"
	forged      caller = "a bad key or session"
	asAdmin     caller = "admin"
	asAgent     caller = "agent"
	asBuyer     caller = "buyer"
	asVendor    caller = "vendor"
	otherBuyer  caller = "other buyer"
	otherVendor caller = "other vendor"
)

var callers = []caller{anonymous, forged, asAdmin, asAgent, asBuyer, asVendor, otherBuyer, otherVendor}

// stranger reports whether c is a party with no part in the fixture's orders.
func (c caller) stranger() bool { return c == otherBuyer || c == otherVendor }

// authzFixture is what the requests of the matrix are about: a buyer's order from a vendor,
// with a service line, its charge and an open marketplace dispute; two more of their orders, one
// with an open chargeback, one whose chargeback was conceded (it takes no more actions); another
// buyer and another vendor with nothing; an admin's webhook endpoint with a delivery, a panel, a
// generic provider, an event and a job; and an API key for each caller.
type authzFixture struct {
	s                            *testServer // the admin
	customer, vendor             string
	otherCustomer, otherVendor   string
	order, charge, line, dispute string
	chargeback, ended            string
	endpoint, delivery           string
	event, job                   string
	providerEvent                string // an event of the feed, applied
	feed, feedSecret             string
	file, chargebackFile         string         // evidence items with a file, of the dispute and of the chargeback
	app                          testenv.App    // an app with every scope, connected by consenter
	consenter                    *testenv.Forms // an admin signed in to the UI, who approves apps
	keys                         map[caller]string
	n                            int // numbers the objects made for one request
}

// newAuthzFixture makes the fixture through the API, as the admin s.
func newAuthzFixture(s *testServer) *authzFixture {
	s.t.Helper()
	f := &authzFixture{s: s, vendor: "ven_authz", otherVendor: "ven_other", feed: "feed", feedSecret: "authz-feed-secret-0123456789"}
	ep := s.post("/v1/webhook_endpoints", map[string]any{"url": "https://hooks.example.com/authz", "events": []string{"*"}})
	want(s.t, ep, 201)
	f.endpoint = ep.str("id")
	s.panel(map[string]any{"name": "byhand", "type": "manual"})
	want(s.t, s.post("/v1/providers", map[string]any{"name": f.feed, "type": "generic", "webhook_secret": f.feedSecret}), 201)
	f.customer = f.newCustomer()
	f.otherCustomer = f.newCustomer()
	f.order, f.charge = f.sale()
	f.line = s.get("/v1/orders/" + f.order).lines()[0]["id"].(string)
	d := s.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": f.order, "initiated_by": "buyer",
		"description": "never arrived"})
	want(s.t, d, 201)
	f.dispute = d.str("id")
	f.chargeback = f.openChargeback()
	f.ended = f.openChargeback()
	want(s.t, s.post("/v1/disputes/"+f.ended+"/close", nil), 200)
	pdf := []byte("%PDF-1.4\n1 0 obj<</Type /Page>>endobj\n")
	f.file = s.upload("/v1/disputes/"+f.dispute+"/evidence", pdf).str("id")
	f.chargebackFile = s.upload("/v1/disputes/"+f.chargeback+"/evidence", pdf).str("id")
	f.event = s.get("/v1/events?limit=1").ids()[0]
	f.job = s.get("/v1/jobs?limit=1").ids()[0]
	f.providerEvent = f.feedEvent()
	f.delivery = s.get("/v1/webhook_endpoints/" + f.endpoint + "/deliveries?limit=1").ids()[0]
	revoked := s.post("/v1/api_keys", map[string]any{"role": "admin", "name": "leaked"})
	want(s.t, revoked, 201)
	want(s.t, s.post("/v1/api_keys/"+revoked.str("id")+"/revoke", nil), 200)
	s.user("consenter@example.com", actor.Admin, "")
	f.consenter = testenv.NewForms(s.t, s.base, s.client.Transport)
	f.consenter.SignIn("consenter@example.com", testenv.Password)
	var every []string
	for _, sc := range actor.Scopes {
		every = append(every, string(sc.Scope))
	}
	f.app = testenv.ConnectApp(s.api, f.consenter, every...)
	f.keys = map[caller]string{anonymous: "", forged: revoked.str("secret"), asAdmin: testAdminKey,
		asAgent: s.newKey(actor.Agent, ""), asBuyer: s.newKey(actor.Buyer, f.customer), asVendor: s.newKey(actor.Vendor, f.vendor),
		otherBuyer: s.newKey(actor.Buyer, f.otherCustomer), otherVendor: s.newKey(actor.Vendor, f.otherVendor)}
	return f
}

// fresh numbers an object made for one request.
func (f *authzFixture) fresh() int {
	f.n++
	return f.n
}

// importable configures a Stripe account that can import, with an API nowhere, and returns its
// name.
func (f *authzFixture) importable() string {
	return f.created("/v1/providers", map[string]any{"name": fmt.Sprintf("stripe%d", f.fresh()), "type": "stripe",
		"webhook_secret": "whsec_authz", "api_key": "sk_test_authz", "api_base": "http://127.0.0.1:1"}, "name")
}

func (f *authzFixture) newCustomer() string {
	c := f.s.post("/v1/customers", map[string]any{"email": fmt.Sprintf("party%d@example.com", f.fresh())})
	want(f.s.t, c, 201)
	return c.str("id")
}

// sale is a completed order of the buyer from the vendor, with a line on the manual panel, and
// its charge.
func (f *authzFixture) sale() (ord, charge string) {
	o := f.s.post("/v1/orders", map[string]any{"customer_id": f.customer, "vendor_id": f.vendor, "currency": "USD",
		"items": []any{map[string]any{"description": "IPTV 12 months", "amount": 1500,
			"line": map[string]any{"panel": "manual", "external_id": fmt.Sprintf("svc-%d", f.fresh())}}}})
	want(f.s.t, o, 201)
	want(f.s.t, f.s.post("/v1/orders/"+o.str("id")+"/complete", nil), 200)
	ch := f.s.post("/v1/transactions", map[string]any{"type": "charge", "amount": 1500, "currency": "USD", "order_id": o.str("id")})
	want(f.s.t, ch, 201)
	return o.str("id"), ch.str("id")
}

// openChargeback is a chargeback on a new sale of the buyer's.
// feedEvent sends the feed a signed alert and returns the stored event's id.
func (f *authzFixture) feedEvent() string {
	body, _ := json.Marshal(map[string]any{"id": fmt.Sprint("authz-", f.fresh()), "type": "alert", "alert_type": "tc40",
		"amount": "10.00", "currency": "USD", "arn": fmt.Sprint("74000000000000000000", f.fresh()), "happened_at": "2026-11-20T10:00:00Z"})
	r := f.s.call(http.MethodPost, "/v1/providers/"+f.feed+"/webhook", body, "X-Signature", generic.Sign(f.feedSecret, time.Now(), body),
		"Authorization", "")
	want(f.s.t, r, 200)
	return r.str("id")
}

func (f *authzFixture) openChargeback() string {
	_, charge := f.sale()
	return f.created("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge}, "id")
}

// created posts body to path as the admin and returns the new object's field (its id, or its
// name).
// rule is a disabled rule to create: it never acts on the fixture's disputes.
func (f *authzFixture) rule() map[string]any {
	return map[string]any{"name": fmt.Sprintf("rule %d", f.fresh()), "when": "amount < 100", "action": "tag", "params": map[string]any{"tag": "small"}}
}

func (f *authzFixture) created(path string, body map[string]any, field string) string {
	r := f.s.post(path, body)
	want(f.s.t, r, 201)
	return r.str(field)
}

// private are the ids of the buyer's and vendor's objects, which other parties must not learn.
func (f *authzFixture) private() []string {
	return []string{f.customer, f.order, f.charge, f.line, f.dispute, f.chargeback, f.ended}
}

// leaks fails when an error answer to another party names one of the private ids that the
// request did not name.
func (f *authzFixture) leaks(t *testing.T, what string, request, answer string) {
	t.Helper()
	for _, id := range f.private() {
		if !strings.Contains(request, id) && strings.Contains(answer, id) {
			t.Errorf("%s: the answer to another party names %s, which the request did not: %.300s", what, id, answer)
		}
	}
}

// apiCall is one request of the API matrix.
type apiCall struct {
	path    string
	body    any      // JSON; nil sends none
	headers []string // name, value pairs
}

// at is a request to path, with a JSON body when one is given.
func at(path string, body ...any) apiCall {
	c := apiCall{path: path}
	if len(body) > 0 {
		c.body = body[0]
	}
	return c
}

// allowed is the status each caller with a valid key gets; other is another buyer's or vendor's.
type allowed struct{ admin, agent, buyer, vendor, other int }

func onlyAdmin(ok int) allowed  { return allowed{ok, 403, 403, 403, 403} }
func onlyStaff(ok int) allowed  { return allowed{ok, ok, 403, 403, 403} }
func ownParties(ok int) allowed { return allowed{ok, ok, ok, ok, 404} }
func anyKey(ok int) allowed     { return allowed{ok, ok, ok, ok, ok} }

// apiRow is a row of the matrix: one request to a route, as every caller.
type apiRow struct {
	route  string  // as the route table has it: "METHOD /pattern"
	public int     // a public route: the status whoever asks, with a key or without
	want   allowed // any other route: the status of each caller with a valid key
	req    func(f *authzFixture) apiCall
}

// code is the error code a refusal of c carries (the route's own code for a public route).
func (r apiRow) code(c caller) string {
	switch {
	case r.public != 0:
		return ""
	case c == anonymous:
		return "unauthenticated"
	}
	return map[int]string{401: "invalid_api_key", 403: "forbidden", 404: "not_found"}[r.status(c)]
}

func (r apiRow) status(c caller) int {
	switch {
	case r.public != 0:
		return r.public
	case c == anonymous || c == forged:
		return http.StatusUnauthorized
	}
	return map[caller]int{asAdmin: r.want.admin, asAgent: r.want.agent, asBuyer: r.want.buyer, asVendor: r.want.vendor,
		otherBuyer: r.want.other, otherVendor: r.want.other}[c]
}

// apiMatrix has a row for every route of the API (more where one request does not show the
// rule).
func apiMatrix() []apiRow {
	fixed := func(path string) func(*authzFixture) apiCall {
		return func(*authzFixture) apiCall { return at(path) }
	}
	return []apiRow{
		{route: "GET /healthz", public: 200, req: fixed("/healthz")},
		{route: "GET /readyz", public: 200, req: fixed("/readyz")},
		{route: "GET /metrics", public: 200, req: fixed("/metrics")},
		{route: "GET /openapi.json", public: 200, req: fixed("/openapi.json")},

		{route: "POST /v1/customers", want: onlyStaff(201), req: func(f *authzFixture) apiCall {
			return at("/v1/customers", map[string]any{"email": "new@example.com"})
		}},
		// A customer is the buyer's own party; a vendor has no customer of its own.
		{route: "GET /v1/customers", want: anyKey(200), req: fixed("/v1/customers")},
		{route: "GET /v1/customers/{id}", want: allowed{200, 200, 200, 404, 404}, req: func(f *authzFixture) apiCall {
			return at("/v1/customers/" + f.customer)
		}},

		{route: "POST /v1/orders", want: onlyStaff(201), req: func(f *authzFixture) apiCall {
			return at("/v1/orders", map[string]any{"customer_id": f.customer, "currency": "USD",
				"items": []any{map[string]any{"description": "box", "amount": 100}}})
		}},
		{route: "GET /v1/orders", want: anyKey(200), req: fixed("/v1/orders")},
		{route: "GET /v1/orders/{id}", want: ownParties(200), req: func(f *authzFixture) apiCall { return at("/v1/orders/" + f.order) }},
		// The revision read changes nothing: each allowed caller's request stays current.
		{route: "POST /v1/orders/{id}", want: onlyStaff(200), req: func(f *authzFixture) apiCall {
			return at("/v1/orders/"+f.order, map[string]any{"revision": f.s.get("/v1/orders/" + f.order).num("revision")})
		}},
		{route: "POST /v1/orders/{id}/complete", want: onlyStaff(409), req: func(f *authzFixture) apiCall {
			return at("/v1/orders/"+f.order+"/complete", map[string]any{})
		}},
		{route: "POST /v1/orders/{id}/void", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			ord, _ := f.sale()
			return at("/v1/orders/"+ord+"/void", map[string]any{"reason": "fraud"})
		}},
		// The order's marketplace dispute is open: a second one is refused, after authorization.
		{route: "POST /v1/orders/{id}/dispute", want: onlyStaff(409), req: func(f *authzFixture) apiCall {
			return at("/v1/orders/"+f.order+"/dispute", map[string]any{"reason": "general", "description": "bank letter"})
		}},
		{route: "GET /v1/orders/{id}/timeline", want: onlyStaff(200), req: func(f *authzFixture) apiCall {
			return at("/v1/orders/" + f.order + "/timeline")
		}},
		{route: "GET /v1/orders/{id}/emails", want: onlyStaff(200), req: func(f *authzFixture) apiCall {
			return at("/v1/orders/" + f.order + "/emails")
		}},

		{route: "GET /v1/lines/{id}", want: ownParties(200), req: func(f *authzFixture) apiCall { return at("/v1/lines/" + f.line) }},
		// The line waits for its suspension to be confirmed: terminate is not what it waits for.
		{route: "POST /v1/lines/{id}/confirm", want: onlyStaff(422), req: func(f *authzFixture) apiCall {
			return at("/v1/lines/"+f.line+"/confirm", map[string]any{"action": "terminate"})
		}},
		{route: "GET /v1/lines/{id}/history", want: onlyStaff(200), req: func(f *authzFixture) apiCall {
			return at("/v1/lines/" + f.line + "/history")
		}},
		// Activity is the merchant's evidence against the customer: staff record and read it. The
		// same entry each time: every caller after the first gets the entry kept.
		{route: "POST /v1/lines/{id}/activity", want: onlyStaff(201), req: func(f *authzFixture) apiCall {
			return at("/v1/lines/"+f.line+"/activity", map[string]any{"kind": "sign_in", "at": "2020-01-02T03:04:05Z"})
		}},
		{route: "POST /v1/lines/{id}/activity/batch", want: onlyStaff(201), req: func(f *authzFixture) apiCall {
			return at("/v1/lines/"+f.line+"/activity/batch", map[string]any{"data": []any{map[string]any{"kind": "stream", "at": "2020-01-02T03:04:05Z"}}})
		}},
		{route: "GET /v1/lines/{id}/activity", want: onlyStaff(200), req: func(f *authzFixture) apiCall {
			return at("/v1/lines/" + f.line + "/activity")
		}},

		{route: "POST /v1/panels", want: onlyAdmin(201), req: func(f *authzFixture) apiCall {
			return at("/v1/panels", map[string]any{"name": fmt.Sprintf("spare%d", f.fresh()), "type": "manual"})
		}},
		{route: "GET /v1/panels", want: onlyStaff(200), req: fixed("/v1/panels")},
		{route: "GET /v1/panels/{name}", want: onlyStaff(200), req: fixed("/v1/panels/byhand")},
		{route: "DELETE /v1/panels/{name}", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			return at("/v1/panels/" + f.created("/v1/panels", map[string]any{"name": fmt.Sprintf("spare%d", f.fresh()), "type": "manual"}, "name"))
		}},

		{route: "POST /v1/transactions", want: onlyStaff(201), req: func(f *authzFixture) apiCall {
			return at("/v1/transactions", map[string]any{"type": "charge", "amount": 100, "currency": "USD"})
		}},
		{route: "GET /v1/transactions", want: anyKey(200), req: fixed("/v1/transactions")},
		{route: "GET /v1/transactions.csv", want: anyKey(200), req: fixed("/v1/transactions.csv")},
		{route: "GET /v1/transactions/{id}", want: ownParties(200), req: func(f *authzFixture) apiCall {
			return at("/v1/transactions/" + f.charge)
		}},
		// More than was captured: refused after authorization.
		{route: "POST /v1/transactions/{id}/refund", want: onlyStaff(422), req: func(f *authzFixture) apiCall {
			return at("/v1/transactions/"+f.charge+"/refund", map[string]any{"amount": 1_000_000})
		}},

		// A marketplace dispute on the buyer's order, named by its charge: staff must say which
		// side opens it; the buyer and the vendor open it as their own side, and the order's open
		// dispute refuses it; for another party the charge does not exist.
		{route: "POST /v1/disputes", want: allowed{422, 422, 409, 409, 422}, req: func(f *authzFixture) apiCall {
			return at("/v1/disputes", map[string]any{"type": "marketplace", "transaction_id": f.charge, "description": "again"})
		}},
		// Buyers and vendors open marketplace disputes only.
		{route: "POST /v1/disputes", want: allowed{409, 409, 403, 403, 403}, req: func(f *authzFixture) apiCall {
			return at("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": f.charge})
		}},
		{route: "GET /v1/disputes", want: anyKey(200), req: fixed("/v1/disputes")},
		{route: "GET /v1/disputes.csv", want: anyKey(200), req: fixed("/v1/disputes.csv")},
		{route: "GET /v1/disputes/{id}", want: ownParties(200), req: func(f *authzFixture) apiCall { return at("/v1/disputes/" + f.dispute) }},
		{route: "POST /v1/disputes/{id}", want: onlyStaff(409), req: func(f *authzFixture) apiCall {
			return at("/v1/disputes/"+f.dispute, map[string]any{"revision": 999, "tags": []string{"authz"}})
		}},
		{route: "POST /v1/disputes/{id}/evidence", want: ownParties(201), req: func(f *authzFixture) apiCall {
			return at("/v1/disputes/"+f.dispute+"/evidence", map[string]any{"type": "text", "content": "tracking shows no delivery"})
		}},
		// A chargeback's evidence is the merchant's answer to the buyer's bank.
		{route: "POST /v1/disputes/{id}/evidence", want: allowed{201, 201, 403, 403, 404}, req: func(f *authzFixture) apiCall {
			return at("/v1/disputes/"+f.chargeback+"/evidence", map[string]any{"type": "text", "content": "the customer used the service"})
		}},
		{route: "GET /v1/disputes/{id}/evidence", want: ownParties(200), req: func(f *authzFixture) apiCall {
			return at("/v1/disputes/" + f.dispute + "/evidence")
		}},
		{route: "GET /v1/disputes/{id}/evidence/{item}/file", want: ownParties(200), req: func(f *authzFixture) apiCall {
			return at("/v1/disputes/" + f.dispute + "/evidence/" + f.file + "/file")
		}},
		// The parties of a chargeback do not see the merchant's evidence, nor its files.
		{route: "GET /v1/disputes/{id}/evidence/{item}/file", want: allowed{200, 200, 404, 404, 404}, req: func(f *authzFixture) apiCall {
			return at("/v1/disputes/" + f.chargeback + "/evidence/" + f.chargebackFile + "/file")
		}},
		// An item of another dispute is not found under this one.
		{route: "GET /v1/disputes/{id}/evidence/{item}/file", want: allowed{404, 404, 404, 404, 404}, req: func(f *authzFixture) apiCall {
			return at("/v1/disputes/" + f.dispute + "/evidence/" + f.chargebackFile + "/file")
		}},
		{route: "GET /v1/disputes/{id}/packet", want: onlyStaff(200), req: func(f *authzFixture) apiCall {
			return at("/v1/disputes/" + f.chargeback + "/packet")
		}},
		{route: "GET /v1/disputes/{id}/packet.pdf", want: onlyStaff(200), req: func(f *authzFixture) apiCall {
			return at("/v1/disputes/" + f.chargeback + "/packet.pdf")
		}},
		{route: "POST /v1/disputes/{id}/compile", want: onlyStaff(409), req: func(f *authzFixture) apiCall {
			return at("/v1/disputes/"+f.ended+"/compile", map[string]any{})
		}},
		{route: "POST /v1/disputes/{id}/submit", want: onlyStaff(409), req: func(f *authzFixture) apiCall {
			return at("/v1/disputes/"+f.ended+"/submit", map[string]any{})
		}},
		{route: "POST /v1/disputes/{id}/close", want: onlyStaff(409), req: func(f *authzFixture) apiCall {
			return at("/v1/disputes/"+f.ended+"/close", map[string]any{})
		}},
		// A chargeback's money moves with its decision, not with a refund through the provider.
		{route: "POST /v1/disputes/{id}/refund", want: onlyStaff(422), req: func(f *authzFixture) apiCall {
			return at("/v1/disputes/"+f.ended+"/refund", map[string]any{})
		}},
		// A chargeback has no marketplace statuses.
		{route: "POST /v1/disputes/{id}/status", want: onlyStaff(422), req: func(f *authzFixture) apiCall {
			return at("/v1/disputes/"+f.ended+"/status", map[string]any{"status": "pending_review"})
		}},
		{route: "POST /v1/disputes/{id}/resolve", want: onlyStaff(409), req: func(f *authzFixture) apiCall {
			return at("/v1/disputes/"+f.ended+"/resolve", map[string]any{"resolution": "won"})
		}},
		{route: "GET /v1/disputes/{id}/timeline", want: onlyStaff(200), req: func(f *authzFixture) apiCall {
			return at("/v1/disputes/" + f.dispute + "/timeline")
		}},
		{route: "POST /v1/disputes/{id}/notes", want: onlyStaff(201), req: func(f *authzFixture) apiCall {
			return at("/v1/disputes/"+f.dispute+"/notes", map[string]any{"body": "internal: called the buyer"})
		}},
		{route: "GET /v1/disputes/{id}/notes", want: onlyStaff(200), req: func(f *authzFixture) apiCall {
			return at("/v1/disputes/" + f.dispute + "/notes")
		}},
		{route: "GET /v1/disputes/{id}/emails", want: onlyStaff(200), req: func(f *authzFixture) apiCall {
			return at("/v1/disputes/" + f.dispute + "/emails")
		}},

		// The reason-code catalogue is reference data: any key reads it.
		{route: "GET /v1/reason_codes", want: anyKey(200), req: fixed("/v1/reason_codes?network=visa")},
		// The outcomes are about every dispute: the staff's alone.
		{route: "GET /v1/analytics/outcomes", want: onlyStaff(200), req: fixed("/v1/analytics/outcomes?group_by=week,type")},
		{route: "GET /v1/analytics/outcomes.csv", want: onlyStaff(200), req: fixed("/v1/analytics/outcomes.csv?group_by=month")},

		{route: "GET /v1/blocklist", want: onlyStaff(200), req: fixed("/v1/blocklist")},
		{route: "POST /v1/blocklist", want: onlyStaff(201), req: func(f *authzFixture) apiCall {
			return at("/v1/blocklist", map[string]any{"kind": "email", "value": fmt.Sprintf("fraud%d@example.com", f.fresh())})
		}},
		{route: "DELETE /v1/blocklist/{id}", want: onlyStaff(200), req: func(f *authzFixture) apiCall {
			return at("/v1/blocklist/" + f.created("/v1/blocklist", map[string]any{"kind": "ip", "value": fmt.Sprintf("203.0.113.%d", f.fresh())}, "id"))
		}},

		{route: "POST /v1/rules", want: onlyAdmin(201), req: func(f *authzFixture) apiCall { return at("/v1/rules", f.rule()) }},
		{route: "GET /v1/rules", want: onlyStaff(200), req: fixed("/v1/rules")},
		{route: "POST /v1/rules/backtest", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			return at("/v1/rules/backtest", map[string]any{"rule": f.rule()})
		}},
		{route: "GET /v1/rules/{id}", want: onlyStaff(200), req: func(f *authzFixture) apiCall {
			return at("/v1/rules/" + f.created("/v1/rules", f.rule(), "id"))
		}},
		{route: "POST /v1/rules/{id}", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			return at("/v1/rules/"+f.created("/v1/rules", f.rule(), "id"), map[string]any{"when": "amount > 1"})
		}},
		{route: "DELETE /v1/rules/{id}", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			return at("/v1/rules/" + f.created("/v1/rules", f.rule(), "id"))
		}},
		{route: "POST /v1/providers", want: onlyAdmin(201), req: func(f *authzFixture) apiCall {
			return at("/v1/providers", map[string]any{"name": fmt.Sprintf("feed%d", f.fresh()), "type": "generic", "webhook_secret": f.feedSecret})
		}},
		{route: "GET /v1/providers", want: onlyAdmin(200), req: fixed("/v1/providers")},
		{route: "GET /v1/providers/{name}", want: onlyAdmin(200), req: func(f *authzFixture) apiCall { return at("/v1/providers/" + f.feed) }},
		{route: "DELETE /v1/providers/{name}", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			return at("/v1/providers/" + f.created("/v1/providers", map[string]any{"name": fmt.Sprintf("feed%d", f.fresh()), "type": "generic",
				"webhook_secret": f.feedSecret}, "name"))
		}},
		// An import of a Stripe account of its own each time (one import of a provider runs at a
		// time); its API is nowhere, so the job that runs it fails, which no row waits for.
		{route: "POST /v1/providers/{name}/imports", want: onlyAdmin(202), req: func(f *authzFixture) apiCall {
			return at("/v1/providers/"+f.importable()+"/imports", map[string]any{"since": "2025-01-01"})
		}},
		{route: "GET /v1/providers/{name}/imports", want: onlyAdmin(200), req: func(f *authzFixture) apiCall { return at("/v1/providers/" + f.feed + "/imports") }},
		{route: "GET /v1/providers/{name}/imports/{id}", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			name := f.importable()
			r := f.s.post("/v1/providers/"+name+"/imports", map[string]any{})
			want(f.s.t, r, 202)
			return at("/v1/providers/" + name + "/imports/" + r.str("id"))
		}},
		{route: "POST /v1/providers/{name}/imports/{id}/cancel", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			name := f.importable()
			r := f.s.post("/v1/providers/"+name+"/imports", map[string]any{})
			want(f.s.t, r, 202)
			return at("/v1/providers/"+name+"/imports/"+r.str("id")+"/cancel", map[string]any{})
		}},
		// The provider's signature authenticates its events, whatever key comes with them: the
		// first answer opens an alert, the others are replays of the same event.
		{route: "POST /v1/providers/{name}/webhook", public: 200, req: func(f *authzFixture) apiCall {
			body, _ := json.Marshal(map[string]any{"id": "authz-1", "type": "alert", "alert_type": "tc40", "amount": "10.00",
				"currency": "USD", "arn": "74000000000000000000042"})
			return apiCall{path: "/v1/providers/" + f.feed + "/webhook", body: body,
				headers: []string{"X-Signature", generic.Sign(f.feedSecret, time.Now(), body)}}
		}},
		// A forged event is refused and leaves no trace, whatever headers come with it.
		{route: "POST /v1/providers/{name}/webhook", public: 401, req: func(f *authzFixture) apiCall {
			body := []byte(`{"id": "forged-1", "type": "alert", "alert_type": "rdr", "amount": "10.00", "currency": "USD"}`)
			return apiCall{path: "/v1/providers/" + f.feed + "/webhook", body: body,
				headers: []string{"X-Signature", generic.Sign("not-the-secret", time.Now(), body), "Idempotency-Key", fmt.Sprintf("forged-%d", f.fresh())}}
		}},

		{route: "POST /v1/webhook_endpoints", want: onlyAdmin(201), req: func(f *authzFixture) apiCall {
			return at("/v1/webhook_endpoints", map[string]any{"url": "https://hooks.example.com/new", "events": []string{"*"}})
		}},
		{route: "GET /v1/webhook_endpoints", want: onlyAdmin(200), req: fixed("/v1/webhook_endpoints")},
		{route: "GET /v1/webhook_endpoints/{id}", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			return at("/v1/webhook_endpoints/" + f.endpoint)
		}},
		{route: "POST /v1/webhook_endpoints/{id}", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			return at("/v1/webhook_endpoints/"+f.endpoint, map[string]any{"enabled": true})
		}},
		{route: "DELETE /v1/webhook_endpoints/{id}", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			return at("/v1/webhook_endpoints/" + f.created("/v1/webhook_endpoints", map[string]any{"url": "https://hooks.example.com/gone",
				"events": []string{"*"}}, "id"))
		}},
		{route: "POST /v1/webhook_endpoints/{id}/rotate_secret", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			return at("/v1/webhook_endpoints/"+f.endpoint+"/rotate_secret", map[string]any{})
		}},
		{route: "GET /v1/webhook_endpoints/{id}/deliveries", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			return at("/v1/webhook_endpoints/" + f.endpoint + "/deliveries")
		}},
		{route: "GET /v1/webhook_deliveries/{id}", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			return at("/v1/webhook_deliveries/" + f.delivery)
		}},
		{route: "POST /v1/webhook_deliveries/{id}/redeliver", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			return at("/v1/webhook_deliveries/"+f.delivery+"/redeliver", map[string]any{})
		}},

		{route: "GET /v1/events", want: onlyStaff(200), req: fixed("/v1/events")},
		{route: "GET /v1/events/{id}", want: onlyStaff(200), req: func(f *authzFixture) apiCall { return at("/v1/events/" + f.event) }},

		{route: "POST /v1/exchange_rates", want: onlyAdmin(201), req: func(f *authzFixture) apiCall {
			return at("/v1/exchange_rates", map[string]any{"from": "EUR", "to": "USD", "rate": "1.0842"})
		}},
		{route: "GET /v1/exchange_rates", want: onlyStaff(200), req: fixed("/v1/exchange_rates")},
		{route: "DELETE /v1/exchange_rates/{id}", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			return at("/v1/exchange_rates/" + f.exchangeRate())
		}},

		{route: "GET /v1/analytics/ratios", want: onlyStaff(200), req: fixed("/v1/analytics/ratios?month=2026-03&network=visa")},

		{route: "GET /v1/settings", want: onlyAdmin(200), req: fixed("/v1/settings")},
		{route: "POST /v1/settings", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			return at("/v1/settings", map[string]any{"block_on_dispute": true})
		}},

		{route: "POST /v1/api_keys", want: onlyAdmin(201), req: func(f *authzFixture) apiCall {
			return at("/v1/api_keys", map[string]any{"role": "buyer", "party_id": f.customer, "name": "portal"})
		}},
		{route: "GET /v1/api_keys", want: onlyAdmin(200), req: fixed("/v1/api_keys")},
		{route: "POST /v1/api_keys/{id}/revoke", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			return at("/v1/api_keys/"+f.created("/v1/api_keys", map[string]any{"role": "agent"}, "id")+"/revoke", map[string]any{})
		}},
		// Who may not revoke keys learns nothing of which ids exist.
		{route: "POST /v1/api_keys/{id}/revoke", want: onlyAdmin(404), req: fixed("/v1/api_keys/key_nope/revoke")},

		{route: "GET /v1/users", want: onlyAdmin(200), req: fixed("/v1/users")},
		{route: "POST /v1/users/{id}/disable", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			return at("/v1/users/"+f.spareUser()+"/disable", map[string]any{})
		}},
		{route: "POST /v1/users/{id}/enable", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			return at("/v1/users/"+f.spareUser()+"/enable", map[string]any{})
		}},
		{route: "POST /v1/users/{id}/sign_out", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			return at("/v1/users/"+f.spareUser()+"/sign_out", map[string]any{})
		}},
		{route: "DELETE /v1/users/{id}", want: onlyAdmin(200), req: func(f *authzFixture) apiCall { return at("/v1/users/" + f.spareUser()) }},
		// Who may not manage users learns nothing of which ids exist.
		{route: "POST /v1/users/{id}/disable", want: onlyAdmin(404), req: fixed("/v1/users/usr_nope/disable")},

		{route: "POST /v1/apps", want: onlyAdmin(201), req: func(f *authzFixture) apiCall {
			return at("/v1/apps", map[string]any{"name": "Shield", "redirect_uris": []string{"https://shield.example/cb"}, "scopes": []string{"disputes:read"}})
		}},
		{route: "GET /v1/apps", want: onlyAdmin(200), req: fixed("/v1/apps")},
		{route: "GET /v1/apps/{id}", want: onlyAdmin(200), req: func(f *authzFixture) apiCall { return at("/v1/apps/" + f.app.ID) }},
		{route: "POST /v1/apps/{id}/disconnect", want: onlyAdmin(200), req: func(f *authzFixture) apiCall {
			return at("/v1/apps/"+f.spareApp()+"/disconnect", map[string]any{})
		}},
		{route: "DELETE /v1/apps/{id}", want: onlyAdmin(200), req: func(f *authzFixture) apiCall { return at("/v1/apps/" + f.spareApp()) }},
		// The app authenticates itself at the OAuth endpoints, whatever key comes with the request.
		{route: "POST /oauth/token", public: 200, req: func(f *authzFixture) apiCall {
			verifier := oauth2.GenerateVerifier()
			code := f.consenter.Authorize(f.app.Config, verifier, "approve").Query().Get("code")
			return f.oauthCall("/oauth/token", url.Values{"grant_type": {"authorization_code"}, "code": {code},
				"redirect_uri": {f.app.Config.RedirectURL}, "code_verifier": {verifier}})
		}},
		// Revoking a token the server does not know answers 200 (RFC 7009 §2.2).
		{route: "POST /oauth/revoke", public: 200, req: func(f *authzFixture) apiCall {
			return f.oauthCall("/oauth/revoke", url.Values{"token": {"ory_at_unknown.token"}})
		}},

		{route: "GET /v1/provider_events", want: onlyAdmin(200), req: fixed("/v1/provider_events?state=applied")},
		{route: "GET /v1/provider_events/{id}", want: onlyAdmin(200), req: func(f *authzFixture) apiCall { return at("/v1/provider_events/" + f.providerEvent) }},
		// Only failed events are retried: the fixture's was applied.
		{route: "POST /v1/provider_events/{id}/retry", want: onlyAdmin(409), req: func(f *authzFixture) apiCall {
			return at("/v1/provider_events/"+f.providerEvent+"/retry", map[string]any{})
		}},
		{route: "GET /v1/jobs", want: onlyAdmin(200), req: fixed("/v1/jobs")},
		{route: "GET /v1/jobs/{id}", want: onlyAdmin(200), req: func(f *authzFixture) apiCall { return at("/v1/jobs/" + f.job) }},
		// Only dead jobs are retried: the dispute's deadline job is scheduled.
		{route: "POST /v1/jobs/{id}/retry", want: onlyAdmin(409), req: func(f *authzFixture) apiCall {
			return at("/v1/jobs/"+f.job+"/retry", map[string]any{})
		}},
	}
}

// TestAuthzMatrixAPI sends every route of the API as every caller and checks each status.
func TestAuthzMatrixAPI(t *testing.T) {
	t.Parallel()
	s := startConfigured(t, dbFor(t, "sqlite"), func(m *Main) { m.JobLoop = false }) // nothing changes behind the test's back
	f := newAuthzFixture(s)
	db := openTables(t, s.main.Config.DB)
	rows := apiMatrix()
	var named []string
	for _, row := range rows {
		named = append(named, row.route)
	}
	covered(t, s.main.server.API.Routes(), named)
	for _, row := range rows {
		if public := s.main.server.API.Public(row.route); public != (row.public != 0) {
			t.Errorf("route %s: public %v in the route table, the matrix says %v", row.route, public, row.public != 0)
			continue
		}
		method, _, _ := strings.Cut(row.route, " ")
		reqs := map[caller]apiCall{}
		for _, c := range callers {
			reqs[c] = row.req(f)
		}
		refusedFirst(t, db, row.route, row.status, func(c caller) { f.checkAPI(t, method, c, reqs[c], row.status(c), row.code(c)) })
	}
}

// covered fails for a route without a row in the matrix, and for a row whose route is not
// registered.
func covered(t *testing.T, routes, named []string) {
	t.Helper()
	for _, r := range named {
		if !slices.Contains(routes, r) {
			t.Errorf("the matrix has a row for %s, which is not registered", r)
		}
	}
	for _, r := range routes {
		if !slices.Contains(named, r) {
			t.Errorf("%s has no row in the authorization matrix", r)
		}
	}
}

// refusedFirst sends the requests of the callers that must get an error, checking that they
// changed nothing, and then the others.
func refusedFirst(t *testing.T, db *sql.DB, what string, status func(caller) int, send func(caller)) {
	t.Helper()
	unchanged(t, db, what, func() {
		for _, c := range callers {
			if status(c) >= 400 {
				send(c)
			}
		}
	})
	for _, c := range callers {
		if status(c) < 400 {
			send(c)
		}
	}
}

// checkAPI sends one request of the matrix as c and checks its status and, for an error, its
// code when given (an object that does not exist for the caller is not_found, not a route that
// does not exist).
func (f *authzFixture) checkAPI(t *testing.T, method string, c caller, call apiCall, status int, code string) {
	t.Helper()
	auth := ""
	if k := f.keys[c]; k != "" {
		auth = "Bearer " + k
	}
	r := f.s.call(method, call.path, call.body, append([]string{"Authorization", auth}, call.headers...)...)
	what := fmt.Sprintf("%s %s as %s", method, call.path, c)
	if r.status != status {
		t.Errorf("%s: %d, want %d: %.300s", what, r.status, status, r.raw)
		return
	}
	if status < 400 {
		return
	}
	testenv.WantErrorShape(t, r.wire())
	if code != "" && r.errCode() != code {
		t.Errorf("%s: error %q, want %q: %.300s", what, r.errCode(), code, r.raw)
	}
	if c.stranger() {
		sent, _ := json.Marshal(call.body)
		f.leaks(t, what, call.path+string(sent), string(r.raw))
	}
}

// openTables opens the server's SQLite file for reading.
func openTables(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// tables reads every row of every table, each table as its rows' text, sorted.
func tables(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, n := range column(t, db, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`) {
		var lines []string
		eachRow(t, db, n, func(vals []any) { lines = append(lines, fmt.Sprintf("%v", vals)) })
		slices.Sort(lines) // the order rows come in is not theirs
		out[n] = strings.Join(lines, "\n")
	}
	return out
}

// unchanged runs requests that must all be refused and fails when they changed any table.
func unchanged(t *testing.T, db *sql.DB, what string, requests func()) {
	t.Helper()
	before := tables(t, db)
	requests()
	after := tables(t, db)
	for n, rows := range after {
		if before[n] != rows {
			t.Errorf("%s: the refused requests changed table %s", what, n)
		}
	}
}

// webCall is one request of the web matrix: a page, or a form (with the session's CSRF token).
type webCall struct {
	path string
	form url.Values
	// upload sends the form as multipart, with a text file, as the evidence forms do.
	upload bool
}

// page is the answer a caller must get: a status, and for a redirect where it leads ("303
// /login": to /login or /login?…; a target ending in / is a prefix).
type page string

// pages is the answer each caller gets; a forged session cookie gets what no session gets, and
// other is another buyer's or vendor's.
type pages struct{ signedOut, admin, agent, buyer, vendor, other page }

func everyone(p page) pages { return pages{p, p, p, p, p, p} }

// staffPage is an admin UI page: signed-out visitors are sent to sign in, parties to the portal.
func staffPage(admin, agent page) pages {
	return pages{"303 /login", admin, agent, "303 /portal", "303 /portal", "303 /portal"}
}

// staffForm is an admin UI form: refused without a session, and to parties.
func staffForm(admin, agent page) pages { return pages{"401", admin, agent, "403", "403", "403"} }

func (p pages) of(c caller) page {
	return map[caller]page{anonymous: p.signedOut, forged: p.signedOut, asAdmin: p.admin, asAgent: p.agent, asBuyer: p.buyer,
		asVendor: p.vendor, otherBuyer: p.other, otherVendor: p.other}[c]
}

func (p page) status() int {
	n, _ := strconv.Atoi(strings.Fields(string(p))[0])
	return n
}

// leadsTo reports whether a redirect's Location is where p says.
func (p page) leadsTo(loc string) bool {
	f := strings.Fields(string(p))
	if len(f) < 2 {
		return true
	}
	to := f[1]
	return loc == to || strings.HasPrefix(loc, to+"?") || (len(to) > 1 && strings.HasSuffix(to, "/") && strings.HasPrefix(loc, to))
}

// webRow is a row of the web matrix: one request to a page or form, as every caller.
type webRow struct {
	route string // as the web UI registers it
	want  pages
	req   func(f *authzFixture) webCall
}

// webMatrix has a row for every pattern the web UI registers.
func webMatrix() []webRow {
	fixed := func(path string) func(*authzFixture) webCall {
		return func(*authzFixture) webCall { return webCall{path: path} }
	}
	form := func(path string, v url.Values) webCall { return webCall{path: path, form: v} }
	return []webRow{
		{route: "GET /static/", want: everyone("200"), req: fixed("/static/app.css")},
		{route: "GET /login", want: everyone("200"), req: fixed("/login")},
		// Forms shown before sign-in carry their own token, which these lack.
		{route: "POST /login", want: everyone("403"), req: func(f *authzFixture) webCall {
			return form("/login", url.Values{"email": {"admin@example.com"}, "password": {"guess"}})
		}},
		// There is an admin: the first-admin setup is gone.
		{route: "GET /setup", want: everyone("404"), req: fixed("/setup")},
		{route: "POST /setup", want: everyone("403"), req: func(f *authzFixture) webCall {
			return form("/setup", url.Values{"email": {"evil@example.com"}, "password": {"long enough password"},
				"password_again": {"long enough password"}})
		}},
		{route: "/", want: pages{"303 /login", "404", "404", "404", "404", "404"}, req: fixed("/no-such-page")},

		{route: "GET /{$}", want: staffPage("200", "200"), req: fixed("/")},
		{route: "GET /analytics", want: staffPage("200", "403"), req: fixed("/analytics")},
		{route: "GET /analytics/outcomes.csv", want: staffPage("200", "403"), req: fixed("/analytics/outcomes.csv?group_by=month")},
		{route: "GET /disputes", want: staffPage("200", "200"), req: fixed("/disputes")},
		{route: "GET /disputes.csv", want: staffPage("200", "200"), req: fixed("/disputes.csv?type=chargeback")},
		{route: "GET /transactions.csv", want: staffPage("200", "200"), req: fixed("/transactions.csv?from=2026-01-01")},
		{route: "GET /disputes/{id}", want: staffPage("200", "200"), req: func(f *authzFixture) webCall { return webCall{path: "/disputes/" + f.dispute} }},
		{route: "GET /orders", want: staffPage("303 /orders/", "303 /orders/"), req: func(f *authzFixture) webCall { return webCall{path: "/orders?id=" + f.order} }},
		{route: "GET /orders/{id}", want: staffPage("200", "200"), req: func(f *authzFixture) webCall { return webCall{path: "/orders/" + f.order} }},
		{route: "GET /webhooks", want: staffPage("200", "403"), req: fixed("/webhooks")},
		{route: "GET /webhooks/{id}", want: staffPage("200", "403"), req: func(f *authzFixture) webCall { return webCall{path: "/webhooks/" + f.endpoint} }},
		{route: "GET /jobs", want: staffPage("200", "403"), req: fixed("/jobs")},
		{route: "GET /users", want: staffPage("200", "403"), req: fixed("/users")},
		{route: "GET /api-keys", want: staffPage("200", "403"), req: fixed("/api-keys")},
		{route: "GET /apps", want: staffPage("200", "403"), req: fixed("/apps")},
		{route: "GET /apps/{id}", want: staffPage("200", "403"), req: func(f *authzFixture) webCall { return webCall{path: "/apps/" + f.app.ID} }},
		// An app's consent: only an admin may give it.
		{route: "GET /oauth/authorize", want: staffPage("200", "403"), req: func(f *authzFixture) webCall {
			return webCall{path: f.authorizePath(oauth2.GenerateVerifier())}
		}},
		{route: "POST /oauth/authorize", want: staffForm("303 "+testenv.AppRedirect, "403"), req: func(f *authzFixture) webCall {
			u, _ := url.Parse(f.authorizePath(oauth2.GenerateVerifier()))
			q := u.Query()
			q.Set("decision", "approve")
			return form("/oauth/authorize", q)
		}},
		{route: "GET /settings", want: staffPage("200", "403"), req: fixed("/settings")},
		{route: "GET /blocklist", want: staffPage("200", "200"), req: fixed("/blocklist")},
		{route: "GET /reason-codes", want: staffPage("200", "200"), req: fixed("/reason-codes?network=visa")},
		{route: "POST /settings", want: staffForm("303 /settings", "403"), req: func(f *authzFixture) webCall {
			return form("/settings", url.Values{"merchant_name": {"Authz shop"}, "reminder_offsets": {"72h, 24h"},
				"party_items": {"50"}, "party_bytes": {"52428800"}, "total_items": {"150"}, "total_bytes": {"104857600"}})
		}},
		{route: "GET /settings/exchange-rates", want: staffPage("200", "200"), req: fixed("/settings/exchange-rates")},
		{route: "POST /settings/exchange-rates", want: staffForm("303 /settings/exchange-rates", "403"), req: func(f *authzFixture) webCall {
			return form("/settings/exchange-rates", url.Values{"from": {"EUR"}, "to": {"USD"}, "rate": {"1.0842"}})
		}},
		{route: "POST /settings/exchange-rates/{id}/delete", want: staffForm("303 /settings/exchange-rates", "403"), req: func(f *authzFixture) webCall {
			return form("/settings/exchange-rates/"+f.exchangeRate()+"/delete", url.Values{})
		}},
		// Staff read the rules, as GET /v1/rules; only admins write, try, disable and delete them.
		{route: "GET /rules", want: staffPage("200", "200"), req: fixed("/rules")},
		{route: "POST /rules", want: staffForm("303 /rules", "403"), req: func(f *authzFixture) webCall {
			return form("/rules", url.Values{"name": {fmt.Sprintf("rule %d", f.fresh())}, "when": {"amount < 100"}, "action": {"tag"}, "tag": {"small"}})
		}},
		{route: "POST /rules/backtest", want: staffForm("200", "403"), req: func(f *authzFixture) webCall {
			return form("/rules/backtest", url.Values{"when": {"amount < 100"}, "action": {"accept"}})
		}},
		{route: "POST /rules/{id}/enabled", want: staffForm("303 /rules", "403"), req: func(f *authzFixture) webCall {
			return form("/rules/"+f.created("/v1/rules", f.rule(), "id")+"/enabled", url.Values{"enabled": {"yes"}})
		}},
		{route: "POST /rules/{id}/delete", want: staffForm("303 /rules", "403"), req: func(f *authzFixture) webCall {
			return form("/rules/"+f.created("/v1/rules", f.rule(), "id")+"/delete", url.Values{"confirm": {"yes"}})
		}},
		{route: "POST /blocklist", want: staffForm("303 /blocklist", "303 /blocklist"), req: func(f *authzFixture) webCall {
			return form("/blocklist", url.Values{"kind": {"email"}, "value": {fmt.Sprintf("blocked%d@example.com", f.fresh())}})
		}},
		{route: "POST /blocklist/{id}/delete", want: staffForm("303 /blocklist", "303 /blocklist"), req: func(f *authzFixture) webCall {
			return form("/blocklist/"+f.block()+"/delete", url.Values{})
		}},
		// Staff read the panels, as GET /v1/panels; only admins add and remove them, and providers.
		{route: "GET /panels", want: staffPage("200", "200"), req: fixed("/panels")},
		{route: "POST /panels", want: staffForm("303 /panels", "403"), req: func(f *authzFixture) webCall {
			return form("/panels", url.Values{"name": {fmt.Sprintf("spare%d", f.fresh())}, "type": {"manual"}})
		}},
		{route: "POST /panels/{name}/delete", want: staffForm("303 /panels", "403"), req: func(f *authzFixture) webCall {
			name := f.created("/v1/panels", map[string]any{"name": fmt.Sprintf("spare%d", f.fresh()), "type": "manual"}, "name")
			return form("/panels/"+name+"/delete", url.Values{"confirm": {"yes"}})
		}},
		{route: "GET /providers", want: staffPage("200", "403"), req: fixed("/providers")},
		{route: "POST /providers", want: staffForm("303 /providers", "403"), req: func(f *authzFixture) webCall {
			return form("/providers", url.Values{"name": {fmt.Sprintf("feed%d", f.fresh())}, "type": {"generic"}, "webhook_secret": {f.feedSecret}})
		}},
		{route: "POST /providers/{name}/delete", want: staffForm("303 /providers", "403"), req: func(f *authzFixture) webCall {
			name := f.created("/v1/providers", map[string]any{"name": fmt.Sprintf("feed%d", f.fresh()), "type": "generic",
				"webhook_secret": f.feedSecret}, "name")
			return form("/providers/"+name+"/delete", url.Values{"confirm": {"yes"}})
		}},
		{route: "POST /providers/{name}/imports", want: staffForm("303 /providers", "403"), req: func(f *authzFixture) webCall {
			return form("/providers/"+f.importable()+"/imports", url.Values{"since": {"2025-01-01"}})
		}},
		{route: "GET /providers/{name}/imports/{id}", want: staffPage("200", "403"), req: func(f *authzFixture) webCall {
			name := f.importable()
			r := f.s.post("/v1/providers/"+name+"/imports", map[string]any{})
			want(f.s.t, r, 202)
			return fixed("/providers/" + name + "/imports/" + r.str("id"))(f)
		}},
		{route: "POST /providers/{name}/imports/{id}/cancel", want: staffForm("303 /providers", "403"), req: func(f *authzFixture) webCall {
			name := f.importable()
			r := f.s.post("/v1/providers/"+name+"/imports", map[string]any{})
			want(f.s.t, r, 202)
			return form("/providers/"+name+"/imports/"+r.str("id")+"/cancel", url.Values{})
		}},
		{route: "POST /orders/{id}/void", want: staffForm("303 /orders/", "403"), req: func(f *authzFixture) webCall {
			ord, _ := f.sale()
			return form("/orders/"+ord+"/void", url.Values{"reason": {"fraud"}, "confirm": {"yes"}})
		}},
		{route: "POST /orders/{id}/refund", want: staffForm("303 /orders/", "303 /orders/"), req: func(f *authzFixture) webCall {
			ord, ch := f.sale()
			return form("/orders/"+ord+"/refund", url.Values{"charge": {ch}, "amount": {"1.00"}, "external": {"yes"}, "confirm": {"yes"}})
		}},
		{route: "POST /orders/{id}/dispute", want: staffForm("409", "409"), req: func(f *authzFixture) webCall {
			return form("/orders/"+f.order+"/dispute", url.Values{"reason": {"general"}, "description": {"bank letter"}, "confirm": {"yes"}})
		}},
		{route: "POST /lines/{id}/confirm", want: staffForm("422", "422"), req: func(f *authzFixture) webCall {
			return form("/lines/"+f.line+"/confirm", url.Values{"action": {"terminate"}})
		}},
		{route: "POST /disputes/{id}/notes", want: staffForm("303 /disputes/", "303 /disputes/"), req: func(f *authzFixture) webCall {
			return form("/disputes/"+f.dispute+"/notes", url.Values{"body": {"internal: called the vendor"}})
		}},
		{route: "POST /disputes/{id}/evidence", want: staffForm("303 /disputes/", "303 /disputes/"), req: func(f *authzFixture) webCall {
			return webCall{path: "/disputes/" + f.dispute + "/evidence", form: url.Values{"type": {"file"}}, upload: true}
		}},
		{route: "GET /disputes/{id}/evidence/{item}/file", want: staffPage("200", "200"), req: func(f *authzFixture) webCall {
			return webCall{path: "/disputes/" + f.dispute + "/evidence/" + f.file + "/file"}
		}},
		{route: "POST /disputes/{id}/staged", want: staffForm("409", "409"), req: func(f *authzFixture) webCall {
			return form("/disputes/"+f.ended+"/staged", url.Values{"field": {"uncategorized_text"}, "value": {"x"}, "revision": {f.revision(f.ended)}})
		}},
		{route: "POST /disputes/{id}/compile", want: staffForm("409", "409"), req: func(f *authzFixture) webCall {
			return form("/disputes/"+f.ended+"/compile", url.Values{})
		}},
		{route: "POST /disputes/{id}/cover-letter", want: staffForm("409", "409"), req: func(f *authzFixture) webCall {
			return form("/disputes/"+f.ended+"/cover-letter", url.Values{"letter": {"x"}, "revision": {f.revision(f.ended)}})
		}},
		{route: "GET /disputes/{id}/packet.pdf", want: staffPage("200", "200"), req: func(f *authzFixture) webCall {
			return webCall{path: "/disputes/" + f.chargeback + "/packet.pdf"}
		}},
		{route: "POST /disputes/{id}/submit", want: staffForm("409", "409"), req: func(f *authzFixture) webCall {
			return form("/disputes/"+f.ended+"/submit", url.Values{})
		}},
		{route: "POST /disputes/{id}/concede", want: staffForm("409", "409"), req: func(f *authzFixture) webCall {
			return form("/disputes/"+f.ended+"/concede", url.Values{"confirm": {"yes"}})
		}},
		{route: "POST /disputes/{id}/status", want: staffForm("422", "422"), req: func(f *authzFixture) webCall {
			return form("/disputes/"+f.ended+"/status", url.Values{"status": {"pending_review"}})
		}},
		{route: "POST /disputes/{id}/resolve", want: staffForm("409", "409"), req: func(f *authzFixture) webCall {
			return form("/disputes/"+f.ended+"/resolve", url.Values{"resolution": {"won"}, "confirm": {"yes"}})
		}},
		// A chargeback is not refunded through its provider: its money moves with its decision.
		{route: "POST /disputes/{id}/refund", want: staffForm("422", "422"), req: func(f *authzFixture) webCall {
			return form("/disputes/"+f.ended+"/refund", url.Values{"confirm": {"yes"}})
		}},
		{route: "POST /disputes/{id}/match", want: staffForm("422", "422"), req: func(f *authzFixture) webCall {
			return form("/disputes/"+f.ended+"/match", url.Values{"charge": {"ch_unknown"}, "revision": {f.revision(f.ended)}})
		}},
		{route: "POST /disputes/{id}/details", want: staffForm("409", "409"), req: func(f *authzFixture) webCall {
			return form("/disputes/"+f.ended+"/details", url.Values{"tags": {"vip"}, "revision": {f.revision(f.ended)}})
		}},

		{route: "POST /webhooks", want: staffForm("201", "403"), req: func(f *authzFixture) webCall {
			return form("/webhooks", url.Values{"url": {"https://hooks.example.com/ui"}, "events": {"*"}})
		}},
		{route: "POST /webhooks/{id}", want: staffForm("303 /webhooks/", "403"), req: func(f *authzFixture) webCall {
			return form("/webhooks/"+f.endpoint, url.Values{"url": {"https://hooks.example.com/authz"}, "events": {"*"}})
		}},
		{route: "POST /webhooks/{id}/rotate", want: staffForm("200", "403"), req: func(f *authzFixture) webCall {
			return form("/webhooks/"+f.endpoint+"/rotate", url.Values{})
		}},
		{route: "POST /webhooks/{id}/enable", want: staffForm("303 /webhooks/", "403"), req: func(f *authzFixture) webCall {
			return form("/webhooks/"+f.endpoint+"/enable", url.Values{})
		}},
		{route: "POST /webhooks/{id}/disable", want: staffForm("303 /webhooks/", "403"), req: func(f *authzFixture) webCall {
			return form("/webhooks/"+f.spareEndpoint()+"/disable", url.Values{})
		}},
		{route: "POST /webhooks/{id}/delete", want: staffForm("303 /webhooks", "403"), req: func(f *authzFixture) webCall {
			return form("/webhooks/"+f.spareEndpoint()+"/delete", url.Values{})
		}},
		{route: "POST /webhook-deliveries/{id}/redeliver", want: staffForm("303 /webhooks/", "403"), req: func(f *authzFixture) webCall {
			return form("/webhook-deliveries/"+f.delivery+"/redeliver", url.Values{})
		}},
		{route: "POST /jobs/{id}/retry", want: staffForm("409", "403"), req: func(f *authzFixture) webCall {
			return form("/jobs/"+f.job+"/retry", url.Values{})
		}},
		// The fixture stores no provider event: an admin is told there is none, anyone else may not ask.
		// Only failed events are retried: the fixture's was applied.
		{route: "POST /provider-events/{id}/retry", want: staffForm("409", "403"), req: func(f *authzFixture) webCall {
			return form("/provider-events/"+f.providerEvent+"/retry", url.Values{})
		}},
		{route: "POST /api-keys", want: staffForm("201", "403"), req: func(f *authzFixture) webCall {
			return form("/api-keys", url.Values{"role": {"agent"}, "name": {"from the page"}})
		}},
		{route: "POST /apps", want: staffForm("201", "403"), req: func(f *authzFixture) webCall {
			return form("/apps", url.Values{"name": {"from the page"}, "redirect_uris": {"https://page.example/cb"}, "scopes": {"orders:read"}})
		}},
		{route: "POST /apps/{id}/disconnect", want: staffForm("303 /apps/", "403"), req: func(f *authzFixture) webCall {
			return form("/apps/"+f.spareApp()+"/disconnect", url.Values{"confirm": {"yes"}})
		}},
		{route: "POST /apps/{id}/delete", want: staffForm("303 /apps", "403"), req: func(f *authzFixture) webCall {
			return form("/apps/"+f.spareApp()+"/delete", url.Values{"confirm": {"yes"}})
		}},
		{route: "POST /api-keys/{id}/revoke", want: staffForm("303 /api-keys", "403"), req: func(f *authzFixture) webCall {
			return form("/api-keys/"+f.created("/v1/api_keys", map[string]any{"role": "agent"}, "id")+"/revoke", url.Values{"confirm": {"yes"}})
		}},
		{route: "POST /users/{id}/disable", want: staffForm("303 /users", "403"), req: func(f *authzFixture) webCall {
			return form("/users/"+f.spareUser()+"/disable", url.Values{"confirm": {"yes"}})
		}},
		{route: "POST /users/{id}/enable", want: staffForm("303 /users", "403"), req: func(f *authzFixture) webCall {
			return form("/users/"+f.spareUser()+"/enable", url.Values{"confirm": {"yes"}})
		}},
		{route: "POST /users/{id}/sign-out", want: staffForm("303 /users", "403"), req: func(f *authzFixture) webCall {
			return form("/users/"+f.spareUser()+"/sign-out", url.Values{"confirm": {"yes"}})
		}},
		{route: "POST /users/{id}/password", want: staffForm("303 /users", "403"), req: func(f *authzFixture) webCall {
			return form("/users/"+f.spareUser()+"/password", url.Values{"confirm": {"yes"}, "password": {"a brand new passphrase"},
				"password_again": {"a brand new passphrase"}})
		}},
		{route: "POST /users/{id}/delete", want: staffForm("303 /users", "403"), req: func(f *authzFixture) webCall {
			return form("/users/"+f.spareUser()+"/delete", url.Values{"confirm": {"yes"}})
		}},
		{route: "POST /users", want: staffForm("303 /users", "403"), req: func(f *authzFixture) webCall {
			return form("/users", url.Values{"email": {fmt.Sprintf("staff%d@example.com", f.fresh())}, "role": {"agent"},
				"password": {"long enough password"}, "password_again": {"long enough password"}})
		}},

		{route: "GET /portal", want: pages{"303 /login", "303 /", "303 /", "200", "200", "200"}, req: fixed("/portal")},
		{route: "GET /portal/disputes/{id}", want: pages{"303 /login", "303 /disputes/", "303 /disputes/", "200", "200", "404"},
			req: func(f *authzFixture) webCall { return webCall{path: "/portal/disputes/" + f.dispute} }},
		{route: "POST /portal/disputes/{id}/evidence", want: pages{"401", "403", "403", "303 /portal/disputes/", "303 /portal/disputes/", "404"},
			req: func(f *authzFixture) webCall {
				return form("/portal/disputes/"+f.dispute+"/evidence", url.Values{"type": {"text"}, "content": {"it never came"}})
			}},
		{route: "POST /portal/disputes/{id}/evidence", want: pages{"401", "403", "403", "403", "403", "404"},
			req: func(f *authzFixture) webCall {
				return form("/portal/disputes/"+f.chargeback+"/evidence", url.Values{"type": {"text"}, "content": {"my bank says"}})
			}},

		{route: "GET /portal/disputes/{id}/evidence/{item}/file", want: pages{"303 /login", "200", "200", "200", "200", "404"},
			req: func(f *authzFixture) webCall {
				return webCall{path: "/portal/disputes/" + f.dispute + "/evidence/" + f.file + "/file"}
			}},
		{route: "GET /portal/disputes/{id}/evidence/{item}/file", want: pages{"303 /login", "200", "200", "404", "404", "404"},
			req: func(f *authzFixture) webCall {
				return webCall{path: "/portal/disputes/" + f.chargeback + "/evidence/" + f.chargebackFile + "/file"}
			}},

		// Last, as it ends the sessions the rows above use.
		{route: "POST /logout", want: pages{"401", "303 /login", "303 /login", "303 /login", "303 /login", "303 /login"},
			req: func(f *authzFixture) webCall { return webCall{path: "/logout", form: url.Values{}} }},
	}
}

// revision is a dispute's revision, as a form sends it.
func (f *authzFixture) revision(id string) string {
	return fmt.Sprint(f.s.get("/v1/disputes/" + id).num("revision"))
}

// block is a new block-list entry, to be removed.
func (f *authzFixture) block() string {
	b := f.s.post("/v1/blocklist", map[string]any{"kind": "ip", "value": fmt.Sprintf("192.0.2.%d", f.fresh()%250)})
	want(f.s.t, b, 201)
	return b.str("id")
}

// exchangeRate records a rate for one request: a pair and moment of its own, so that no other
// request replaces it.
func (f *authzFixture) exchangeRate() string {
	at := time.Date(2026, 1, 1, 0, 0, f.fresh(), 0, time.UTC)
	return f.created("/v1/exchange_rates", map[string]any{"from": "GBP", "to": "USD", "rate": "1.25", "effective_from": at}, "id")
}

// spareUser is a web UI user made for one request, straight in the store (no password hash to
// compute: nobody signs in as it).
func (f *authzFixture) spareUser() string {
	id := fmt.Sprintf("usr_spare%d", f.fresh())
	err := f.s.main.store.Tx(context.Background(), func(tx store.Tx) error {
		now := time.Now()
		return tx.InsertUser(context.Background(), store.User{ID: id, Email: id + "@example.com", PasswordHash: "-", Role: "agent",
			CreatedAt: now, UpdatedAt: now})
	})
	if err != nil {
		f.s.t.Fatal(err)
	}
	return id
}

// authorizePath is the fixture app's authorization request, with PKCE's challenge of verifier.
func (f *authzFixture) authorizePath(verifier string) string {
	u, _ := url.Parse(f.app.Config.AuthCodeURL(testenv.AppState, oauth2.S256ChallengeOption(verifier)))
	return u.RequestURI()
}

// spareApp is an app registered for one request.
func (f *authzFixture) spareApp() string {
	return f.created("/v1/apps", map[string]any{"name": fmt.Sprintf("spare%d", f.fresh()), "redirect_uris": []string{"https://spare.example/cb"},
		"scopes": []string{"disputes:read"}}, "id")
}

// oauthCall is a form posted to an OAuth endpoint by the fixture's app, authenticated with its
// client id and secret.
func (f *authzFixture) oauthCall(path string, form url.Values) apiCall {
	basic := base64.StdEncoding.EncodeToString([]byte(f.app.Config.ClientID + ":" + f.app.Config.ClientSecret))
	return apiCall{path: path, body: []byte(form.Encode()),
		headers: []string{"Content-Type", "application/x-www-form-urlencoded", "Authorization", "Basic " + basic}}
}

// spareEndpoint is a webhook endpoint of the admin's made for one request.
func (f *authzFixture) spareEndpoint() string {
	return f.created("/v1/webhook_endpoints", map[string]any{"url": "https://hooks.example.com/spare", "events": []string{"*"}}, "id")
}

// TestAuthzMatrixWeb opens every page and sends every form of the web UI as every caller (with
// the session's CSRF token, so that a refusal is the role's) and checks each answer.
func TestAuthzMatrixWeb(t *testing.T) {
	t.Parallel()
	s := startConfigured(t, dbFor(t, "sqlite"), func(m *Main) { m.JobLoop = false })
	f := newAuthzFixture(s)
	sessions := webSessions(t, s, f)
	db := openTables(t, s.main.Config.DB)
	rows := webMatrix()
	var named []string
	for _, row := range rows {
		named = append(named, row.route)
	}
	covered(t, s.main.server.UI.Routes(), named)
	for _, row := range rows {
		method, _, found := strings.Cut(row.route, " ")
		if !found {
			method = http.MethodGet
		}
		reqs := map[caller]webCall{}
		for _, c := range callers {
			reqs[c] = row.req(f)
		}
		status := func(c caller) int { return row.want.of(c).status() }
		refusedFirst(t, db, row.route, status, func(c caller) { f.checkPage(t, method, sessions[c], c, reqs[c], row.want.of(c)) })
	}
}

// webSessions signs every caller in to the web UI as a user of its role, bound to its party;
// anonymous has no session, forged a made-up session cookie.
func webSessions(t *testing.T, s *testServer, f *authzFixture) map[caller]*testenv.Forms {
	t.Helper()
	users := map[caller]struct {
		role  actor.Role
		party string
	}{asAdmin: {actor.Admin, ""}, asAgent: {actor.Agent, ""}, asBuyer: {actor.Buyer, f.customer}, asVendor: {actor.Vendor, f.vendor},
		otherBuyer: {actor.Buyer, f.otherCustomer}, otherVendor: {actor.Vendor, f.otherVendor}}
	sessions := map[caller]*testenv.Forms{}
	for _, c := range callers {
		fs := testenv.NewForms(t, s.base, s.client.Transport)
		if u, ok := users[c]; ok {
			email := strings.ReplaceAll(string(c), " ", "-") + "@example.com"
			fs.SignIn(email, s.user(email, u.role, u.party))
		}
		if c == forged {
			base, _ := url.Parse(s.base)
			fs.HTTP.Jar.SetCookies(base, []*http.Cookie{{Name: "disputed_session", Value: "forged-session-token-0123456789"}})
		}
		sessions[c] = fs
	}
	return sessions
}

// checkPage sends one request of the web matrix in the caller's session and checks the answer.
func (f *authzFixture) checkPage(t *testing.T, method string, fs *testenv.Forms, c caller, call webCall, want page) {
	t.Helper()
	var a testenv.Answer
	switch {
	case method == http.MethodGet:
		a = fs.Get(call.path)
	case call.upload:
		a = fs.Upload(call.path, fs.Signed(call.form), "courier.txt", []byte("the courier's record"))
	default:
		a = fs.Post(call.path, fs.Signed(call.form))
	}
	status, body, loc := a.Status, a.Body, a.Location
	what := fmt.Sprintf("%s %s as %s", method, call.path, c)
	if status != want.status() || (status/100 == 3 && !want.leadsTo(loc)) {
		t.Errorf("%s: %d %s, want %s: %.300s", what, status, loc, want, body)
		return
	}
	if c.stranger() && status >= 400 {
		f.leaks(t, what, call.path+call.form.Encode(), body)
	}
}
