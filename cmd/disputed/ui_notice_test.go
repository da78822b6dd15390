package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"disputed/internal/actor"
)

// TestSecurityNoticeOnlyByCode follows a link that puts its own words in ?done=, as a phisher
// would send it to an admin: the page shows no notice, so the site never says what it did not
// say. A real action's redirect carries a code, and the page shows the sentence for it.
func TestSecurityNoticeOnlyByCode(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		pw := s.user("admin@example.com", actor.Admin, "")
		fs := s.formSignIn(t, "admin@example.com", pw)
		forged := "Your account is suspended. Call +1 555 0100 to restore it."
		status, body, _ := fs.get("/?done=" + url.QueryEscape(forged))
		if status != http.StatusOK || strings.Contains(body, "Call +1 555 0100") || strings.Contains(body, `class="notice"`) {
			t.Fatalf("a forged notice is shown (%d):\n%s", status, body)
		}

		_, ord, _ := s.twoLineSale(1500)
		status, _, loc := fs.post("/orders/"+ord+"/dispute", fs.with(url.Values{"reason": {"product_not_received"}, "confirm": {"yes"}}))
		if status != http.StatusSeeOther || !strings.Contains(loc, "done=dispute_opened") {
			t.Fatalf("opening a dispute: %d to %q", status, loc)
		}
		_, body, _ = fs.get(loc)
		if !strings.Contains(body, "Dispute opened.") {
			t.Fatalf("the real notice is not shown after the action:\n%s", body)
		}
	})
}
