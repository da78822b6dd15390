package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"disputed/internal/httpapi"
	"disputed/internal/panel/paneltest"
	"disputed/internal/testenv"
)

// TestPanelsWire: what only the API shows of a panel (the rules of registering them are tested
// beside internal/app): the secret never, only that it is set; the timeout and capabilities in
// force; the answer to a delete.
func TestPanelsWire(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		r := c.Post("/v1/panels", map[string]any{"name": "xui", "type": "http", "config": map[string]any{"base_url": "https://panel.example/api/", "secret": paneltest.Secret}})
		p := testenv.Want[httpapi.Panel](t, r, 201)
		if strings.Contains(r.String(), paneltest.Secret) || !p.Config.SecretSet || p.Config.TimeoutMS != 10000 {
			t.Fatalf("created panel: %s", r.Raw)
		}
		if len(p.Config.Capabilities) != 2 {
			t.Fatalf("default capabilities %v", p.Config.Capabilities)
		}
		del := c.Do(http.MethodDelete, "/v1/panels/xui", nil)
		if d := testenv.Want[struct{ Deleted bool }](t, del, 200); !d.Deleted {
			t.Fatalf("delete: %s", del.Raw)
		}
	})
}
