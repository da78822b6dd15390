package httpapi

import (
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"disputed/internal/access"
	"disputed/internal/app"
)

// TestSecuritySecretRoutesMarked checks the route table against the API's answers: every route
// whose answer has a "secret" is marked as showing one, so that its kept answer drops it, and
// only those are.
func TestSecuritySecretRoutesMarked(t *testing.T) {
	s := New(app.New(nil, app.Options{}), Config{Access: access.New(nil, access.Options{})})
	doc := s.OpenAPI()
	var found int
	for path, item := range doc.Paths {
		for method, op := range map[string]*huma.Operation{"GET": item.Get, "POST": item.Post, "DELETE": item.Delete} {
			if op == nil {
				continue
			}
			route := method + " " + path
			shows := false
			for status, res := range op.Responses {
				if !strings.HasPrefix(status, "2") || res.Content["application/json"] == nil {
					continue
				}
				schema := res.Content["application/json"].Schema
				if schema != nil && schema.Ref != "" {
					schema = doc.Components.Schemas.SchemaFromRef(schema.Ref)
				}
				if schema != nil && schema.Properties["secret"] != nil {
					shows = true
					found++
				}
			}
			if shows != s.secretAnswer[route] {
				t.Errorf("%s: its answer has a secret: %v; the route table marks it: %v", route, shows, s.secretAnswer[route])
			}
		}
	}
	if found < 3 {
		t.Errorf("%d routes answer a secret, want at least the API key, the endpoint and its rotation", found)
	}
}

func TestWithoutSecret(t *testing.T) {
	for in, want := range map[string]string{
		`{"id":"key_1","secret":"sk_live_x","role":"admin"}`:  `{"id":"key_1","role":"admin"}`,
		`{"secret":"whsec_1"}`:                                `{}`,
		`{"id":"we_1","meta":{"secret":"kept"},"secret":"s"}`: `{"id":"we_1","meta":{"secret":"kept"}}`,
		`{"error":{"code":"invalid_value","param":"secret"}}`: `{"error":{"code":"invalid_value","param":"secret"}}`,
		"{\"id\":\"x\",\"secret\":\"s\"}\n":                   "{\"id\":\"x\"}\n",
		"{\"error\":{\"code\":\"invalid_type\"}}\n":           "{\"error\":{\"code\":\"invalid_type\"}}\n",
		`not json`:               `not json`,
		`{"id":"x","secret":"s"`: `{"id":"x"}`,
	} {
		if got := string(withoutSecret([]byte(in))); got != want {
			t.Errorf("withoutSecret(%s) = %s, want %s", in, got, want)
		}
	}
	if got := withoutSecret([]byte(`{"id":"x","secret":`)); got != nil {
		t.Errorf("an answer broken off at its secret is kept: %s", got)
	}
}
