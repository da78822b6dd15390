package main

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPI checks the published document against the server: it is OpenAPI 3.1, it lists
// exactly the routes the server registers, and every documented operation answers (a documented
// route that does not exist would answer 404 route_not_found or 405).
func TestOpenAPI(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		doc := s.call(http.MethodGet, "/openapi.json", nil, "Authorization", "")
		want(t, doc, 200)
		if v := doc.str("openapi"); !strings.HasPrefix(v, "3.1.") {
			t.Fatalf("openapi version %q, want 3.1.x", v)
		}
		if ct := doc.header.Get("Content-Type"); !strings.Contains(ct, "json") {
			t.Errorf("Content-Type %q, want a JSON type", ct)
		}
		paths, _ := doc.get("paths").(map[string]any)
		if len(paths) == 0 {
			t.Fatalf("no paths in the document: %.300s", doc.raw)
		}
		var documented []string
		for path, item := range paths {
			ops, _ := item.(map[string]any)
			for method := range ops {
				switch method {
				case "get", "put", "post", "delete", "patch", "head", "options", "trace":
					documented = append(documented, strings.ToUpper(method)+" "+path)
				}
			}
		}
		registered := s.main.API().Routes()
		slices.Sort(documented)
		slices.Sort(registered)
		for _, r := range registered {
			if !slices.Contains(documented, r) {
				t.Errorf("route %s is registered but not documented", r)
			}
		}
		for _, d := range documented {
			if !slices.Contains(registered, d) {
				t.Errorf("operation %s is documented but not registered", d)
			}
		}
		if len(registered) < 30 {
			t.Errorf("only %d registered routes: %v", len(registered), registered)
		}

		// Every documented operation exists: filled-in path parameters reach a handler.
		for _, op := range documented {
			method, path, _ := strings.Cut(op, " ")
			concrete := fillParams(path)
			var body any
			if method == http.MethodPost {
				body = map[string]any{}
			}
			r := s.call(method, concrete, body)
			if (r.status == 404 && r.errCode() == "route_not_found") || r.status == 405 {
				t.Errorf("%s (as %s %s) is documented but answers %d: %s", op, method, concrete, r.status, r.raw)
			}
		}

		// The check above can fail: an undocumented path does answer route_not_found.
		r := s.get("/v1/nonexistent/x")
		want(t, r, 404, "route_not_found")
	})
}

// fillParams replaces every {param} of a path template by "x".
func fillParams(path string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(path, '{')
		if i < 0 {
			b.WriteString(path)
			return b.String()
		}
		j := strings.IndexByte(path[i:], '}')
		if j < 0 {
			b.WriteString(path)
			return b.String()
		}
		b.WriteString(path[:i] + "x")
		path = path[i+j+1:]
	}
}

// TestOpenAPIDescribesContract checks that the document describes the resources api.md lists
// with the behaviour a client relies on: bearer authentication, the Idempotency-Key header on
// POSTs, and the public health routes needing no key.
func TestOpenAPIDescribesContract(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	doc := s.get("/openapi.json")
	want(t, doc, 200)
	schemes, _ := doc.get("components", "securitySchemes").(map[string]any)
	if len(schemes) == 0 {
		t.Errorf("no security scheme documented")
	}
	paths, _ := doc.get("paths").(map[string]any)
	for _, p := range []string{"/v1/disputes", "/v1/disputes/{id}", "/v1/orders/{id}/void", "/v1/transactions/{id}/refund",
		"/v1/blocklist/{id}", "/v1/events/{id}", "/v1/settings", "/healthz", "/readyz", "/metrics"} {
		if _, ok := paths[p]; !ok {
			t.Errorf("path %s not documented", p)
		}
	}
	create, _ := paths["/v1/disputes"].(map[string]any)["post"].(map[string]any)
	params, _ := create["parameters"].([]any)
	found := false
	for _, p := range params {
		if m, _ := p.(map[string]any); m["name"] == "Idempotency-Key" && m["in"] == "header" {
			found = true
		}
	}
	if !found {
		t.Errorf("POST /v1/disputes does not document the Idempotency-Key header: %v", params)
	}
	health, _ := paths["/healthz"].(map[string]any)["get"].(map[string]any)
	if sec, ok := health["security"].([]any); !ok || len(sec) != 0 {
		t.Errorf("/healthz should be documented as needing no key, security = %v", health["security"])
	}
}
