package web_test

import (
	"html"
	"strings"
	"testing"

	"disputed/internal/access"
	"disputed/internal/actor"
	"disputed/internal/testenv"
	"disputed/internal/webhook"
)

// TestUIOffsetListsRefuseDeepPages: the pages of the lists still read by offset (the block list,
// the exchange rates, an endpoint's deliveries, an app's actions, the API keys, a dispute's
// evidence), with the server reading at most four rows a list, show their first page and refuse
// one that starts past the bound, 422 with the rule's words, as they show any other refusal.
func TestUIOffsetListsRefuseDeepPages(t *testing.T) {
	t.Parallel()
	testenv.EachWith(t, testenv.Options{ListReadAtMost: 4}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		hook, events := "https://hooks.example/walk", []string{"*"}
		ep := testenv.Must(e.Webhooks.CreateEndpoint(e.Ctx, testenv.Admin, webhook.EndpointParams{URL: &hook, Events: &events}))(t)
		_, app, err := e.Access.RegisterApp(e.Ctx, testenv.Admin, access.AppParams{Name: "Walker",
			RedirectURIs: []string{"https://walker.example/callback"}, Scopes: []string{"disputes:read"}})
		if err != nil {
			t.Fatal(err)
		}
		disputed := e.Dispute(e.Sale(testenv.SaleParams{}), "chargeback")
		f := e.Forms(c, actor.Admin, "")
		for _, path := range []string{"/blocklist?page=", "/settings/exchange-rates?page=", "/webhooks/" + ep.ID + "?page=", "/apps/" + app.ID + "?page=",
			"/api-keys?page=", "/disputes/" + disputed.ID + "?evidence_page="} {
			wantOK(t, f.Get(path+"1"))
			a := f.Get(path + "2")
			if body := html.UnescapeString(a.Body); a.Status != 422 || !strings.Contains(body, "the page starts past the 4th row") {
				t.Errorf("%s2: %d, want 422 saying the page starts past the 4th row:\n%s", path, a.Status, body)
			}
		}
	})
}
