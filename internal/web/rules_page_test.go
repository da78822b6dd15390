package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/testenv"
)

// TestUIRulesReadOnlyForAgents: an agent reads the Rules page (the rule, its action in words)
// without the form or the buttons that change rules, and each of the page's forms posted anyway
// is refused 403 with the rule left as it was.
func TestUIRulesReadOnlyForAgents(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		created := testenv.Want[map[string]any](t, c.Post("/v1/rules", map[string]any{"name": "Notify big ones", "when": "amount > 100000",
			"action": "notify", "params": map[string]any{"message": "a big one"}, "enabled": true}), 201)
		id, _ := created["id"].(string)
		before := c.Get("/v1/rules").String()
		e.User("admin@example.com", actor.Admin, "") // the first user is the admin the setup page makes
		agent := e.Forms(c, actor.Agent, "")

		page := agent.Get("/rules")
		if page.Status != http.StatusOK {
			t.Fatalf("GET /rules as an agent: %d", page.Status)
		}
		for _, want := range []string{"Notify big ones", "amount &gt; 100000", "Notify the admins: “a big one”", `href="/rules"`} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("the agent's Rules page lacks %q", want)
			}
		}
		for _, offered := range []string{`id="rule-form"`, "/rules/" + id + "/enabled", "#delete-" + id} {
			if strings.Contains(page.Body, offered) {
				t.Errorf("an agent is offered %q", offered)
			}
		}

		rule := url.Values{"name": {"Accept all"}, "when": {"true"}, "action": {"accept"}, "enabled": {"yes"}}
		for path, form := range map[string]url.Values{
			"/rules":                    rule,
			"/rules/backtest":           rule,
			"/rules/" + id + "/enabled": {"enabled": {"no"}},
			"/rules/" + id + "/delete":  {"confirm": {"yes"}},
		} {
			if a := agent.Post(path, agent.Signed(form)); a.Status != http.StatusForbidden {
				t.Errorf("POST %s as an agent: %d, want 403", path, a.Status)
			}
		}
		if after := c.Get("/v1/rules").String(); after != before {
			t.Errorf("the agent's posts changed the rules:\n%s\nwas\n%s", after, before)
		}
	})
}
