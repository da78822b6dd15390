package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/order"
	"disputed/internal/testenv"
)

// TestPagesShowLineActivity: the order page and its dispute's page show a line's newest activity
// in words (what, when, from where, who reported it), and count what they leave out.
func TestPagesShowLineActivity(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	s := e.Sale(testenv.SaleParams{Line: &order.LineSpec{Panel: "manual", ExternalID: "u1"}})
	l := s.Lines[0]
	f := e.Forms(c, actor.Admin, "")

	if page := f.Get("/orders/" + s.Order.ID); page.Status != 200 || !strings.Contains(page.Body, "No activity recorded.") {
		t.Fatalf("an order without activity: %d\n%s", page.Status, page.Body)
	}
	start := e.Clock.Now().Add(-24 * time.Hour)
	reports := make([]order.ActivityReport, 12)
	for i := range reports {
		reports[i] = order.ActivityReport{Kind: "stream", At: start.Add(time.Duration(i) * time.Minute), Detail: fmt.Sprintf("episode %d", i+1)}
	}
	reports[11] = order.ActivityReport{Kind: "sign_in", IP: "203.0.113.7", At: start.Add(time.Hour), Detail: "Firefox & Linux"}
	testenv.Must(e.App.RecordActivityBatch(e.Ctx, testenv.Admin, l.ID, reports))(t)

	d := adminManualDispute(e, s.Order.ID, "not received")
	for _, path := range []string{"/orders/" + s.Order.ID, "/disputes/" + d.ID} {
		page := f.Get(path)
		if page.Status != 200 {
			t.Fatalf("%s: %d", path, page.Status)
		}
		body := page.Body
		newest := strings.Index(body, "Signed in")
		if newest < 0 || !strings.Contains(body, "<code>203.0.113.7</code>") || !strings.Contains(body, "Firefox &amp; Linux") ||
			!strings.Contains(body, "your system (API)") || !strings.Contains(body, "episode 11") {
			t.Fatalf("%s does not show the newest entries:\n%s", path, body)
		}
		if strings.Contains(body, "episode 1<") || strings.Contains(body, "episode 2<") {
			t.Errorf("%s shows more than the newest ten", path)
		}
		if !strings.Contains(body, "and 2 older entries") || newest > strings.Index(body, "episode 11") {
			t.Errorf("%s: the rest is not counted, or the newest is not first", path)
		}
	}
}
