package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestEventsRead: what only HTTP shows of the event log (the events a lifecycle records are
// tested beside internal/app, TestEventsOfALifecycle): GET /v1/events/{id} wraps each event with
// the object it carries, and reading events is staff work an agent may do.
func TestEventsRead(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		sale := e.ManualSale("u-1")
		d := e.Dispute(sale, "chargeback")
		testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, d.ID, nil, app.ResolveParams{Resolution: "lost"}))(t)

		all := testenv.Want[httpapi.List[httpapi.Event]](t, c.Get("/v1/events?limit=100&order_id="+sale.Order.ID), 200).Data
		if len(all) == 0 {
			t.Fatal("no events of the order")
		}
		for _, ev := range all {
			full := testenv.Want[httpapi.Event](t, c.Get("/v1/events/"+ev.ID), 200)
			var obj struct{ ID, Object string }
			if err := json.Unmarshal(full.Data.Object, &obj); err != nil || obj.ID == "" || obj.Object == "" ||
				full.Object != "event" || !strings.HasPrefix(full.ID, "evt_") || full.Type != ev.Type {
				t.Errorf("event %s: %+v %s", ev.ID, full, full.Data.Object)
			}
		}
		agent := c.As(e.NewKey(actor.Agent, ""))
		testenv.WantStatus(t, agent.Get("/v1/events/"+all[0].ID), 200)
	})
}
