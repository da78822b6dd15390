package main

import (
	"encoding/json"
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
	eachStore(t, func(t *testing.T, s *testServer) {
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
		registered := s.main.server.API.Routes()
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

// TestOpenAPIServersAndErrors checks what a generated client needs beyond the routes: the
// servers entry with the address the server is reached at, and the client errors each operation
// can answer, with the error schema: 400 and 429 everywhere, 401 and 403 where a key is needed,
// 404 where the path names an object.
func TestOpenAPIServersAndErrors(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", map[string]string{"DISPUTED_PUBLIC_URL": "https://disputes.example.com/"})
	doc := s.get("/openapi.json")
	want(t, doc, 200)
	servers, _ := doc.get("servers").([]any)
	if len(servers) != 1 || servers[0].(map[string]any)["url"] != "https://disputes.example.com" {
		t.Errorf("servers = %v, want the public URL", doc.get("servers"))
	}
	local := startServer(t, "sqlite", nil)
	if got, _ := local.get("/openapi.json").get("servers").([]any); len(got) != 1 || got[0].(map[string]any)["url"] != local.base {
		t.Errorf("servers of a server without a public URL = %v, want %s", got, local.base)
	}
	paths, _ := doc.get("paths").(map[string]any)
	checked := 0
	for path, item := range paths {
		for method, o := range item.(map[string]any) {
			op := strings.ToUpper(method) + " " + path
			responses, _ := o.(map[string]any)["responses"].(map[string]any)
			_, public := o.(map[string]any)["security"]
			need := []string{"400", "429"}
			if !public {
				need = append(need, "401", "403")
			}
			if strings.Contains(path, "{") {
				need = append(need, "404")
			}
			if method == "post" && !public {
				need = append(need, "409", "422")
			}
			for _, status := range need {
				r, _ := responses[status].(map[string]any)
				ref, _ := r["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)["$ref"].(string)
				if ref != "#/components/schemas/ErrorBody" {
					t.Errorf("%s: response %s is %v, want the error schema", op, status, responses[status])
				}
			}
			checked++
		}
	}
	if checked < 60 {
		t.Errorf("only %d operations checked", checked)
	}

	// The generic feed's schema is in the document, as the webhook's body.
	feed, _ := doc.get("components", "schemas", "GenericFeedEvent").(map[string]any)
	props, _ := feed["properties"].(map[string]any)
	for _, f := range []string{"id", "type", "alert_type", "status", "amount", "currency", "reason", "network_reason_code", "arn",
		"case_number", "transaction_reference", "happened_at", "due_by", "livemode"} {
		if props[f] == nil {
			t.Errorf("GenericFeedEvent lacks %s: %v", f, feed)
		}
	}
	body, _ := json.Marshal(doc.get("paths", "/v1/providers/{name}/webhook", "post", "requestBody"))
	if !strings.Contains(string(body), "#/components/schemas/GenericFeedEvent") {
		t.Errorf("the webhook's body does not name GenericFeedEvent: %s", body)
	}
}
