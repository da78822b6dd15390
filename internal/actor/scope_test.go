package actor

import (
	"os"
	"strings"
	"testing"

	"disputed/internal/fault"
)

func TestRequireScope(t *testing.T) {
	app := App("app_1", Admin, NewScopeSet([]string{"orders:read", "disputes:read"}))
	for _, tt := range []struct {
		who  Actor
		need Scope
		ok   bool
	}{
		{app, "disputes:read", true},
		{app, "disputes:write", false},
		{app, "", false}, // a route of the merchant's own, whatever the scopes
		{Key("key_1", Agent, ""), "", true},
		{User("usr_1", Admin, ""), "disputes:write", true},
		{System, "", true},
	} {
		err := RequireScope(tt.who, tt.need)
		if (err == nil) != tt.ok {
			t.Errorf("%s needing %q: %v", tt.who, tt.need, err)
		}
		if err != nil && fault.Code(err) != fault.CodeInsufficientScope {
			t.Errorf("%s needing %q: code %q", tt.who, tt.need, fault.Code(err))
		}
	}
	if app.String() != "app:app_1" || !app.HasRole() || app.IsAdmin() != true {
		t.Errorf("an app's actor: %q, has role %v", app.String(), app.HasRole())
	}
}

func TestScopeSetOrderAndUnknown(t *testing.T) {
	got := NewScopeSet([]string{"webhooks:write", "disputes:read", "settings:write", "disputes:read"})
	if got != "disputes:read webhooks:write" {
		t.Fatalf("scope set %q: the catalogue's order, each once, unknown ones out", got)
	}
	if Scope("settings:write").Valid() || !Scope("refunds:write").Valid() {
		t.Fatal("validity")
	}
}

// TestREADMEListsEveryScope keeps the README's table of scopes (what the consent page says) true.
func TestREADMEListsEveryScope(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range Scopes {
		if row := "| `" + string(s.Scope) + "` | " + s.Words + " |"; !strings.Contains(string(b), row) {
			t.Errorf("README lacks the row %s", row)
		}
	}
}
