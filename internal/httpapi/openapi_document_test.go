package httpapi_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// openAPIDocument is the part of the published OpenAPI document the tests read.
type openAPIDocument struct {
	OpenAPI    string `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage
	Components struct {
		SecuritySchemes map[string]json.RawMessage `json:"securitySchemes"`
		Schemas         map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"schemas"`
	} `json:"components"`
}

// openAPIOperation is one operation of the document.
type openAPIOperation struct {
	Parameters []openAPIParameter `json:"parameters"`
	// Security is absent (nil) for an operation needing the default key, empty for a public one.
	Security  *[]json.RawMessage `json:"security"`
	Responses map[string]struct {
		Content map[string]struct {
			Schema struct {
				Ref string `json:"$ref"`
			} `json:"schema"`
		} `json:"content"`
	} `json:"responses"`
	RequestBody json.RawMessage `json:"requestBody"`
}

// openAPIParameter is a parameter of an operation.
type openAPIParameter struct {
	Name, In string
	Schema   struct{ Type string }
}

// openAPIMethods are the keys of a path item that are operations.
var openAPIMethods = []string{"get", "put", "post", "delete", "patch", "head", "options", "trace"}

// operations are the document's operations by "METHOD /path".
func (d openAPIDocument) operations(t *testing.T) map[string]openAPIOperation {
	t.Helper()
	ops := map[string]openAPIOperation{}
	for path, item := range d.Paths {
		for method, raw := range item {
			if !slices.Contains(openAPIMethods, method) {
				continue
			}
			var o openAPIOperation
			if err := json.Unmarshal(raw, &o); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			ops[strings.ToUpper(method)+" "+path] = o
		}
	}
	return ops
}

// servedOpenAPI reads the document as a client does, without a key.
func servedOpenAPI(t *testing.T, c *testenv.Client) (openAPIDocument, testenv.Response) {
	t.Helper()
	r := c.As("").Get("/openapi.json")
	return testenv.Want[openAPIDocument](t, r, 200), r
}

// TestOpenAPI checks the published document against the server: it is OpenAPI 3.1, it lists
// exactly the routes the server registers, and every documented operation answers (a documented
// route that does not exist would answer 404 route_not_found or 405).
func TestOpenAPI(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		doc, r := servedOpenAPI(t, c)
		if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
			t.Fatalf("openapi version %q, want 3.1.x", doc.OpenAPI)
		}
		if ct := r.Header.Get("Content-Type"); !strings.Contains(ct, "json") {
			t.Errorf("Content-Type %q, want a JSON type", ct)
		}
		if len(doc.Paths) == 0 {
			t.Fatalf("no paths in the document: %.300s", r.Raw)
		}
		var documented []string
		for op := range doc.operations(t) {
			documented = append(documented, op)
		}
		registered := e.Server.API.Routes()
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
			r := c.Do(method, concrete, body)
			if r.Status == 405 || r.Status == 404 && testenv.Decode[httpapi.ErrorBody](t, r).Error.Code == "route_not_found" {
				t.Errorf("%s (as %s %s) is documented but answers %d: %s", op, method, concrete, r.Status, r.Raw)
			}
		}

		// The check above can fail: an undocumented path does answer route_not_found.
		testenv.WantError(t, c.Get("/v1/nonexistent/x"), 404, "route_not_found")
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
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		doc, _ := servedOpenAPI(t, c)
		if len(doc.Components.SecuritySchemes) == 0 {
			t.Errorf("no security scheme documented")
		}
		for _, p := range []string{"/v1/disputes", "/v1/disputes/{id}", "/v1/orders/{id}/void", "/v1/transactions/{id}/refund",
			"/v1/blocklist/{id}", "/v1/events/{id}", "/v1/settings", "/healthz", "/readyz", "/metrics"} {
			if _, ok := doc.Paths[p]; !ok {
				t.Errorf("path %s not documented", p)
			}
		}
		ops := doc.operations(t)
		create := ops["POST /v1/disputes"]
		if !slices.ContainsFunc(create.Parameters, func(p openAPIParameter) bool { return p.Name == "Idempotency-Key" && p.In == "header" }) {
			t.Errorf("POST /v1/disputes does not document the Idempotency-Key header: %v", create.Parameters)
		}
		if sec := ops["GET /healthz"].Security; sec == nil || len(*sec) != 0 {
			t.Errorf("/healthz should be documented as needing no key, security = %v", sec)
		}
	})
}

// TestOpenAPIErrors checks what a generated client needs beyond the routes: the client errors
// each operation can answer, with the error schema: 400 and 429 everywhere, 401 and 403 where a
// key is needed, 404 where the path names an object; and the generic feed's schema. (The servers
// entry, which the process fills from DISPUTED_PUBLIC_URL or its listener, is tested in
// cmd/disputed.)
func TestOpenAPIErrors(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		doc, _ := servedOpenAPI(t, c)
		checked := 0
		for op, o := range doc.operations(t) {
			method, path, _ := strings.Cut(op, " ")
			public := o.Security != nil
			need := []string{"400", "429"}
			if !public {
				need = append(need, "401", "403")
			}
			if strings.Contains(path, "{") {
				need = append(need, "404")
			}
			if method == http.MethodPost && !public {
				need = append(need, "409", "422")
			}
			for _, status := range need {
				if ref := o.Responses[status].Content["application/json"].Schema.Ref; ref != "#/components/schemas/ErrorBody" {
					t.Errorf("%s: response %s is %+v, want the error schema", op, status, o.Responses[status])
				}
			}
			checked++
		}
		if checked < 60 {
			t.Errorf("only %d operations checked", checked)
		}

		// The generic feed's schema is in the document, as the webhook's body.
		feed := doc.Components.Schemas["GenericFeedEvent"].Properties
		for _, f := range []string{"id", "type", "alert_type", "status", "amount", "currency", "reason", "network_reason_code", "arn",
			"case_number", "transaction_reference", "happened_at", "due_by", "livemode"} {
			if feed[f] == nil {
				t.Errorf("GenericFeedEvent lacks %s: %v", f, feed)
			}
		}
		if body := doc.operations(t)["POST /v1/providers/{name}/webhook"].RequestBody; !strings.Contains(string(body), "#/components/schemas/GenericFeedEvent") {
			t.Errorf("the webhook's body does not name GenericFeedEvent: %s", body)
		}
	})
}
