package app_test

import (
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/fault"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// TestActorTimelinePages: what one actor did (an app, here), newest first, a page at a time, and
// nobody else's; only admins read it.
func TestActorTimelinePages(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		amount := int64(500)
		shield := actor.App("app_shield", actor.Admin, "disputes:write")
		var made []string
		for range 3 {
			d := testenv.Must(e.App.CreateDispute(e.Ctx, shield, app.DisputeParams{Type: "alert", AlertType: "tc40", Money: app.Money{Amount: &amount, Currency: "USD"}}))(t)
			made = append(made, d.ID)
			e.Advance(time.Second)
		}
		testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "alert", AlertType: "tc40", Money: app.Money{Amount: &amount, Currency: "USD"}}))(t)

		first, more, err := e.App.ActorTimeline(e.Ctx, testenv.Admin, shield.String(), store.Page{Limit: 2})
		if err != nil || !more || len(first) != 2 || first[0].DisputeID != made[2] || first[1].DisputeID != made[1] {
			t.Fatalf("first page: %v more %v %+v", err, more, first)
		}
		rest, more, err := e.App.ActorTimeline(e.Ctx, testenv.Admin, shield.String(), store.Page{Limit: 2, Offset: 2})
		if err != nil || more || len(rest) != 1 || rest[0].DisputeID != made[0] || rest[0].Actor != "app:app_shield" {
			t.Fatalf("second page: %v more %v %+v", err, more, rest)
		}
		_, _, err = e.App.ActorTimeline(e.Ctx, actor.Key("key_agent", actor.Agent, ""), shield.String(), store.Page{Limit: 2})
		if fault.Code(err) != fault.CodeForbidden {
			t.Fatalf("an agent: %v", err)
		}
	})
}
