package main

import (
	"disputed/internal/testenv"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"disputed/internal/actor"
)

// uiRoutes are the admin UI's forms and the pages that read a query, by name, with their path
// parameters named as in the API so that fillPath fills them. The web UI has no route table to
// read them from: a new form is added here.
var uiRoutes = map[string]fuzzRoute{
	"disputes":           {method: http.MethodGet, path: "/disputes"},
	"find-order":         {method: http.MethodGet, path: "/orders"},
	"dispute":            {method: http.MethodGet, path: "/disputes/{id}"},
	"jobs":               {method: http.MethodGet, path: "/jobs"},
	"note":               {method: http.MethodPost, path: "/disputes/{id}/notes"},
	"evidence":           {method: http.MethodPost, path: "/disputes/{id}/evidence"},
	"stage":              {method: http.MethodPost, path: "/disputes/{id}/staged"},
	"submit":             {method: http.MethodPost, path: "/disputes/{id}/submit"},
	"concede":            {method: http.MethodPost, path: "/disputes/{id}/concede"},
	"move":               {method: http.MethodPost, path: "/disputes/{id}/status"},
	"resolve":            {method: http.MethodPost, path: "/disputes/{id}/resolve"},
	"void":               {method: http.MethodPost, path: "/orders/{id}/void"},
	"open-dispute":       {method: http.MethodPost, path: "/orders/{id}/dispute"},
	"confirm-line":       {method: http.MethodPost, path: "/lines/{id}/confirm"},
	"create-webhook":     {method: http.MethodPost, path: "/webhooks"},
	"update-webhook":     {method: http.MethodPost, path: "/webhooks/{id}"},
	"rotate-webhook":     {method: http.MethodPost, path: "/webhooks/{id}/rotate"},
	"redeliver":          {method: http.MethodPost, path: "/webhook-deliveries/{id}/redeliver"},
	"retry-job":          {method: http.MethodPost, path: "/jobs/{id}/retry"},
	"retry-event":        {method: http.MethodPost, path: "/provider-events/{id}/retry"},
	"create-user":        {method: http.MethodPost, path: "/users"},
	"disable-user":       {method: http.MethodPost, path: "/users/{id}/disable"},
	"enable-user":        {method: http.MethodPost, path: "/users/{id}/enable"},
	"sign-out-user":      {method: http.MethodPost, path: "/users/{id}/sign-out"},
	"reset-password":     {method: http.MethodPost, path: "/users/{id}/password"},
	"enable-webhook":     {method: http.MethodPost, path: "/webhooks/{id}/enable"},
	"disable-webhook":    {method: http.MethodPost, path: "/webhooks/{id}/disable"},
	"portal-not-for-you": {method: http.MethodGet, path: "/portal"},
}

// FuzzUIForms sends fuzzed forms (urlencoded, or multipart when the form starts with --fuzz) to
// the admin UI's forms, and fuzzed queries to its filtered pages, signed in as an admin with the
// session's CSRF token, on SQLite and PostgreSQL: never a server error, a redirect only within
// the site, a refused form changes nothing, a page view changes nothing, and both stores answer
// alike. $customer, $order, $line, $charge and $dispute stand for the fixture's objects.
func FuzzUIForms(f *testing.F) {
	a := newAPIFuzz(f)
	forms := make([]*testenv.Forms, len(a.stores))
	for i, st := range a.stores {
		forms[i] = testenv.NewForms(f, st.s.base, st.s.client.Transport)
		forms[i].SignIn("admin@example.com", st.s.user("admin@example.com", actor.Admin, ""))
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range uiRoutes {
			if !yield(n) {
				return
			}
		}
	})
	for _, n := range names {
		if _, err := fillPath(uiRoutes[n].path, "", fixture{}); err != nil {
			f.Fatal(err)
		}
		f.Add(n, "chargeback", "")
	}
	f.Fuzz(func(t *testing.T, route, target, form string) {
		rt := uiRoutes[pick(route, names)]
		var answers []fuzzAnswer
		for i, st := range a.stores {
			if st.stale {
				st.refresh(t)
			}
			ans := uiSend(t, st, forms[i], rt, target, form)
			if ans.status >= 500 || ans.status < 200 {
				t.Fatalf("%s on %s: %d:\n%.2000s", ans.req, st.kind, ans.status, ans.raw)
			}
			loc := ans.header.Get("Location")
			if loc != "" && (!strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") ||
				strings.ContainsFunc(loc, func(r rune) bool { return r < ' ' || r == 0x7f || r == '\\' })) {
				t.Fatalf("%s on %s redirects off the site: %q", ans.req, st.kind, loc)
			}
			if ans.changed && (ans.status >= 400 || rt.method == http.MethodGet) {
				t.Fatalf("%s on %s answered %d and changed the database:\n%.2000s", ans.req, st.kind, ans.status, ans.raw)
			}
			if ans.status < 400 && rt.method == http.MethodPost {
				st.stale = true
				if rt.path == "/webhooks" {
					removeEndpoints(t, st)
				}
			}
			answers = append(answers, ans)
		}
		alike(t, rt, answers)
	})
}

// removeEndpoints removes the webhook endpoints but the fixture's: a new one would get a
// delivery of every later event.
func removeEndpoints(t *testing.T, st *fuzzStore) {
	s := st.s.on(t)
	for _, id := range s.get("/v1/webhook_endpoints?limit=100").ids() {
		if id != st.fx.endpoint {
			want(t, s.call(http.MethodDelete, "/v1/webhook_endpoints/"+id, nil), 200)
		}
	}
}

// uiSend sends a form (or, for a page, a query) to one server's UI in the admin's session, with
// the CSRF token in the header htmx uses, so that the whole body is the fuzzer's.
func uiSend(t *testing.T, st *fuzzStore, session *testenv.Forms, rt fuzzRoute, target, form string) fuzzAnswer {
	t.Helper()
	path, _ := fillPath(rt.path, target, st.fx)
	form = st.fx.placeholders(target).Replace(form)
	var body io.Reader
	if rt.method == http.MethodGet {
		path += "?" + escapeQuery(form)
	} else {
		body = strings.NewReader(form)
	}
	req, err := http.NewRequest(rt.method, st.s.base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-CSRF-Token", session.CSRF)
	if rt.method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if strings.HasPrefix(form, "--fuzz") {
			req.Header.Set("Content-Type", "multipart/form-data; boundary=fuzz")
		}
	}
	var before int64
	if st.version != nil {
		before = st.version(t)
	}
	got := session.On(t).Do(req)
	return fuzzAnswer{response: response{status: got.Status, header: got.Header, raw: []byte(got.Body)},
		req: rt.method + " " + path, changed: st.version != nil && st.version(t) != before}
}
