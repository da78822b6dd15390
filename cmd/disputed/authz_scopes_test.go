package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/testenv"
)

// The scopes of apps, route by route: an app's token, which has the role of the admin who
// approved it, reaches a route only with the scope the route needs, and never a route of the
// merchant's own (configuration and access), whatever its scopes. Every row of the API matrix
// is sent with a token of each scope alone and with a token of every scope: the route's own
// scope gets the admin's answer, every other the 403 insufficient_scope, which changes nothing.

// routeScopes is the scope each route of the API needs; a route not here is not open to apps.
var routeScopes = map[actor.Scope][]string{
	"customers:read":  {"GET /v1/customers", "GET /v1/customers/{id}"},
	"customers:write": {"POST /v1/customers"},
	"orders:read": {"GET /v1/orders", "GET /v1/orders/{id}", "GET /v1/orders/{id}/timeline", "GET /v1/orders/{id}/emails",
		"GET /v1/lines/{id}", "GET /v1/lines/{id}/history", "GET /v1/lines/{id}/activity"},
	"orders:write": {"POST /v1/orders", "POST /v1/orders/{id}", "POST /v1/orders/{id}/complete", "POST /v1/orders/{id}/void", "POST /v1/lines/{id}/confirm",
		"POST /v1/lines/{id}/activity", "POST /v1/lines/{id}/activity/batch"},
	"transactions:read":  {"GET /v1/transactions", "GET /v1/transactions.csv", "GET /v1/transactions/{id}"},
	"transactions:write": {"POST /v1/transactions"},
	"refunds:write":      {"POST /v1/transactions/{id}/refund", "POST /v1/disputes/{id}/refund"},
	"disputes:read": {"GET /v1/disputes", "GET /v1/disputes.csv", "GET /v1/disputes/{id}", "GET /v1/disputes/{id}/evidence", "GET /v1/disputes/{id}/evidence/{item}/file", "GET /v1/disputes/{id}/packet", "GET /v1/disputes/{id}/packet.pdf",
		"GET /v1/disputes/{id}/timeline", "GET /v1/disputes/{id}/notes", "GET /v1/disputes/{id}/emails", "GET /v1/reason_codes"},
	"disputes:write": {"POST /v1/orders/{id}/dispute", "POST /v1/disputes", "POST /v1/disputes/{id}", "POST /v1/disputes/{id}/evidence",
		"POST /v1/disputes/{id}/compile", "POST /v1/disputes/{id}/submit", "POST /v1/disputes/{id}/close", "POST /v1/disputes/{id}/status", "POST /v1/disputes/{id}/resolve",
		"POST /v1/disputes/{id}/notes"},
	"blocklist:read":       {"GET /v1/blocklist"},
	"blocklist:write":      {"POST /v1/blocklist", "DELETE /v1/blocklist/{id}"},
	"rules:read":           {"GET /v1/rules", "GET /v1/rules/{id}"},
	"rules:write":          {"POST /v1/rules", "POST /v1/rules/backtest", "POST /v1/rules/{id}", "DELETE /v1/rules/{id}"},
	"events:read":          {"GET /v1/events", "GET /v1/events/{id}"},
	"exchange_rates:read":  {"GET /v1/exchange_rates"},
	"exchange_rates:write": {"POST /v1/exchange_rates", "DELETE /v1/exchange_rates/{id}"},
	"analytics:read":       {"GET /v1/analytics/ratios", "GET /v1/analytics/outcomes", "GET /v1/analytics/outcomes.csv"},
	"webhooks:write": {"POST /v1/webhook_endpoints", "GET /v1/webhook_endpoints", "GET /v1/webhook_endpoints/{id}",
		"POST /v1/webhook_endpoints/{id}", "DELETE /v1/webhook_endpoints/{id}", "POST /v1/webhook_endpoints/{id}/rotate_secret",
		"GET /v1/webhook_endpoints/{id}/deliveries", "GET /v1/webhook_deliveries/{id}", "POST /v1/webhook_deliveries/{id}/redeliver"},
}

// scopeOf is the scope routeScopes gives route, "" for none.
func scopeOf(route string) actor.Scope {
	for sc, routes := range routeScopes {
		for _, r := range routes {
			if r == route {
				return sc
			}
		}
	}
	return ""
}

// appEndpointRows are the webhook routes whose matrix rows are about the admin's endpoint: an app
// sees only its own, so its token with the right scope finds none (404) where the admin succeeds.
var appEndpointRows = map[string]bool{
	"GET /v1/webhook_endpoints/{id}": true, "POST /v1/webhook_endpoints/{id}": true, "DELETE /v1/webhook_endpoints/{id}": true,
	"POST /v1/webhook_endpoints/{id}/rotate_secret": true, "GET /v1/webhook_endpoints/{id}/deliveries": true,
	"GET /v1/webhook_deliveries/{id}": true, "POST /v1/webhook_deliveries/{id}/redeliver": true,
}

// TestAuthzMatrixScopes sends every route of the API with an app token of each scope.
func TestAuthzMatrixScopes(t *testing.T) {
	t.Parallel()
	s := startConfigured(t, dbFor(t, "sqlite"), func(m *Main) { m.JobLoop = false })
	f := newAuthzFixture(s)
	db := openTables(t, s.main.Config.DB)
	tokens := map[actor.Scope]string{}
	for _, sc := range actor.Scopes {
		tokens[sc.Scope] = testenv.ConnectApp(s.api, f.consenter, string(sc.Scope)).Token.AccessToken
	}
	for sc := range routeScopes {
		if !sc.Valid() {
			t.Errorf("the matrix names the scope %s, which does not exist", sc)
		}
	}
	for _, row := range apiMatrix() {
		if row.public != 0 {
			continue
		}
		need := scopeOf(row.route)
		if got := s.main.server.API.Scope(row.route); got != need {
			t.Errorf("%s: the route table asks for the scope %q, the matrix %q", row.route, got, need)
			continue
		}
		method, _, _ := strings.Cut(row.route, " ")
		refused := map[actor.Scope]apiCall{} // built first: building one may write
		for sc := range tokens {
			if sc != need {
				refused[sc] = row.req(f)
			}
		}
		every := row.req(f)
		unchanged(t, db, row.route+" without its scope", func() {
			for sc, call := range refused {
				f.checkToken(t, method, "an app with "+string(sc), tokens[sc], call, http.StatusForbidden, "insufficient_scope")
			}
			if need == "" {
				f.checkToken(t, method, "an app with every scope", f.app.Token.AccessToken, every, http.StatusForbidden, "insufficient_scope")
			}
		})
		if need == "" {
			continue
		}
		want := row.want.admin
		if appEndpointRows[row.route] {
			want = http.StatusNotFound
		}
		alone := want
		if row.route == "POST /v1/webhook_endpoints" {
			alone = http.StatusForbidden // webhooks:write alone reads no event to subscribe to
		}
		f.checkToken(t, method, "an app with "+string(need), tokens[need], row.req(f), alone, "")
		f.checkToken(t, method, "an app with every scope", f.app.Token.AccessToken, every, want, "")
	}
}

// checkToken sends one request of the matrix with an app's token and checks its status and, for
// an error, its code when given.
func (f *authzFixture) checkToken(t *testing.T, method, who, token string, call apiCall, status int, code string) {
	t.Helper()
	r := f.s.call(method, call.path, call.body, append([]string{"Authorization", "Bearer " + token}, call.headers...)...)
	what := fmt.Sprintf("%s %s as %s", method, call.path, who)
	if r.status != status {
		t.Errorf("%s: %d, want %d: %.300s", what, r.status, status, r.raw)
		return
	}
	if status >= 400 && code != "" && r.errCode() != code {
		t.Errorf("%s: error %q, want %q: %.300s", what, r.errCode(), code, r.raw)
	}
}
