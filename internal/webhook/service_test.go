package webhook_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/id"
	"disputed/internal/outbound"
	"disputed/internal/store"
	"disputed/internal/store/pgtest"
	"disputed/internal/testenv"
	"disputed/internal/webhook"
	"disputed/internal/webhook/webhooktest"
)

// TestMain fails the package when a test leaves a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(pgtest.Wrap(m)) }

// admin is who administers the endpoints in these tests.
var admin = testenv.Admin

// env is one test's app and webhook service on a fresh database, with the id generator its
// events are written with.
type env struct {
	*testenv.Env
	t   *testing.T
	ids *id.Generator
}

// eachStore runs fn on SQLite and on PostgreSQL, the deliveries going out through an outbound
// client of policy.
func eachStore(t *testing.T, policy outbound.Policy, fn func(t *testing.T, e *env)) {
	client := outbound.NewClient(policy)
	t.Cleanup(client.CloseIdleConnections)
	testenv.EachWith(t, testenv.Options{Outbound: client}, func(t *testing.T, te *testenv.Env) {
		fn(t, &env{Env: te, t: t, ids: id.NewGenerator(te.Clock.Now)})
	})
}

// emit writes an event of type typ with its deliveries, in one transaction, as a use case does.
func (e *env) emit(typ string) store.Event {
	e.t.Helper()
	ev := store.Event{ID: e.ids.New("evt"), Type: typ, Data: []byte(`{}`), CreatedAt: e.Clock.Now()}
	err := e.Store.Tx(e.Ctx, func(tx store.Tx) error {
		if err := tx.InsertEvent(e.Ctx, ev); err != nil {
			return err
		}
		return webhook.Enqueue(e.Ctx, tx, e.ids, e.Clock.Now(), ev)
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return ev
}

func (e *env) create(p webhook.EndpointParams) store.WebhookEndpoint {
	e.t.Helper()
	ep, err := e.Webhooks.CreateEndpoint(e.Ctx, admin, p)
	if err != nil {
		e.t.Fatal(err)
	}
	return ep
}

func (e *env) endpoint(id string) store.WebhookEndpoint {
	e.t.Helper()
	ep, err := e.Webhooks.Endpoint(e.Ctx, admin, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return ep
}

// deliveries lists the endpoint's deliveries with their attempts, newest first.
func (e *env) deliveries(endpointID string) []webhook.DeliveryView {
	e.t.Helper()
	ds, _, err := e.Webhooks.Deliveries(e.Ctx, admin, store.DeliveryFilter{Page: store.Page{Limit: 100}, EndpointID: endpointID})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []webhook.DeliveryView
	for _, d := range ds {
		v, err := e.Webhooks.Delivery(e.Ctx, admin, d.ID)
		if err != nil {
			e.t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// subscribe is the params of an endpoint at url receiving events.
func subscribe(url string, events ...string) webhook.EndpointParams {
	return webhook.EndpointParams{URL: &url, Events: &events}
}

// wantFault checks that err is a fault of kind about param ("" for none).
func wantFault(t *testing.T, err error, kind fault.Kind, param string) {
	t.Helper()
	f, ok := fault.As(err)
	if !ok || f.Kind != kind || f.Param != param {
		t.Fatalf("error %v, want a %v fault about %q", err, kind, param)
	}
}

func TestEndpointSettingsAreChecked(t *testing.T) {
	t.Parallel()
	eachStore(t, outbound.AllowInternal, func(t *testing.T, e *env) {
		for _, tt := range []struct {
			name  string
			p     webhook.EndpointParams
			param string
		}{
			{"no url", webhook.EndpointParams{Events: &[]string{"*"}}, "url"},
			{"not http", subscribe("ftp://hooks.example", "*"), "url"},
			{"no events", webhook.EndpointParams{URL: ptr("https://hooks.example")}, "events"},
			{"unknown event", subscribe("https://hooks.example", "dispute.exploded"), "events"},
			{"no failures allowed", webhook.EndpointParams{URL: ptr("https://hooks.example"), Events: &[]string{"*"}, DisableAfter: ptr(0)},
				"disable_after_failures"},
			{"long description", webhook.EndpointParams{URL: ptr("https://hooks.example"), Events: &[]string{"*"},
				Description: ptr(strings.Repeat("d", 501))}, "description"},
		} {
			_, err := e.Webhooks.CreateEndpoint(e.Ctx, admin, tt.p)
			if f, ok := fault.As(err); !ok || f.Kind != fault.Invalid || f.Param != tt.param {
				t.Errorf("%s: %v, want invalid %s", tt.name, err, tt.param)
			}
		}
		if es, err := e.Webhooks.Endpoints(e.Ctx, admin); err != nil || len(es) != 0 {
			t.Fatalf("a refused endpoint was kept: %v %v", es, err)
		}
		ep := e.create(subscribe("https://hooks.example/x", "*"))
		_, err := e.Webhooks.UpdateEndpoint(e.Ctx, admin, ep.ID, webhook.EndpointParams{DisableAfter: ptr(10001)})
		wantFault(t, err, fault.Invalid, "disable_after_failures")
		if got := e.endpoint(ep.ID); got.DisableAfter != webhook.DefaultDisableAfter {
			t.Fatalf("a refused change was kept: %+v", got)
		}
	})
}

func TestOnlyAdminsAdministerEndpoints(t *testing.T) {
	t.Parallel()
	eachStore(t, outbound.AllowInternal, func(t *testing.T, e *env) {
		ep := e.create(subscribe("https://hooks.example/x", "*"))
		e.emit("customer.blocked")
		msg := e.deliveries(ep.ID)[0].Delivery.ID
		for _, who := range []actor.Actor{actor.Key("key_agent", actor.Agent, ""), actor.User("usr_buyer", actor.Buyer, "cus_1")} {
			_, err := e.Webhooks.CreateEndpoint(e.Ctx, who, subscribe("https://hooks.example/y", "*"))
			wantFault(t, err, fault.Forbidden, "")
			_, err = e.Webhooks.Endpoints(e.Ctx, who)
			wantFault(t, err, fault.Forbidden, "")
			_, err = e.Webhooks.Endpoint(e.Ctx, who, ep.ID)
			wantFault(t, err, fault.Forbidden, "")
			_, err = e.Webhooks.UpdateEndpoint(e.Ctx, who, ep.ID, webhook.EndpointParams{Enabled: ptr(false)})
			wantFault(t, err, fault.Forbidden, "")
			_, err = e.Webhooks.RotateEndpointSecret(e.Ctx, who, ep.ID)
			wantFault(t, err, fault.Forbidden, "")
			wantFault(t, e.Webhooks.DeleteEndpoint(e.Ctx, who, ep.ID), fault.Forbidden, "")
			_, _, err = e.Webhooks.Deliveries(e.Ctx, who, store.DeliveryFilter{EndpointID: ep.ID})
			wantFault(t, err, fault.Forbidden, "")
			_, err = e.Webhooks.Delivery(e.Ctx, who, msg)
			wantFault(t, err, fault.Forbidden, "")
			_, err = e.Webhooks.Redeliver(e.Ctx, who, msg)
			wantFault(t, err, fault.Forbidden, "")
		}
		if got := e.endpoint(ep.ID); got.Secret != ep.Secret || !got.Enabled {
			t.Fatalf("a refused change was kept: %+v", got)
		}
		// The server acting on its own has the merchant's authority.
		if _, err := e.Webhooks.Endpoints(e.Ctx, actor.System); err != nil {
			t.Fatal(err)
		}
	})
}

func TestEndpointLifecycle(t *testing.T) {
	t.Parallel()
	eachStore(t, outbound.AllowInternal, func(t *testing.T, e *env) {
		ep := e.create(webhook.EndpointParams{URL: ptr("https://hooks.example/x"), Events: &[]string{"dispute.created"}, Description: ptr("ops")})
		if !strings.HasPrefix(ep.Secret, "whsec_") || !ep.Enabled || ep.DisableAfter != webhook.DefaultDisableAfter ||
			!ep.CreatedAt.Equal(testenv.Start) {
			t.Fatalf("created: %+v", ep)
		}
		if got := e.endpoint(ep.ID); got.URL != ep.URL || got.Description != "ops" || got.Secret != ep.Secret {
			t.Fatalf("read back: %+v", got)
		}
		e.Clock.Advance(time.Minute)
		up, err := e.Webhooks.UpdateEndpoint(e.Ctx, admin, ep.ID, webhook.EndpointParams{Events: &[]string{"dispute.created", "dispute.resolved"},
			Enabled: ptr(false)})
		if err != nil {
			t.Fatal(err)
		}
		if up.Enabled || up.DisabledReason != "disabled by an admin" || len(up.Events) != 2 || up.URL != ep.URL ||
			!up.UpdatedAt.Equal(testenv.Start.Add(time.Minute)) {
			t.Fatalf("changed: %+v", up)
		}
		on, err := e.Webhooks.UpdateEndpoint(e.Ctx, admin, ep.ID, webhook.EndpointParams{Enabled: ptr(true)})
		if err != nil || !on.Enabled || on.DisabledReason != "" || on.FailureStreak != 0 {
			t.Fatalf("enabled again: %+v %v", on, err)
		}
		second := e.create(subscribe("https://hooks.example/y", "*"))
		if es, err := e.Webhooks.Endpoints(e.Ctx, admin); err != nil || len(es) != 2 || es[0].ID != second.ID {
			t.Fatalf("endpoints, newest first: %v %v", es, err)
		}
		if err := e.Webhooks.DeleteEndpoint(e.Ctx, admin, ep.ID); err != nil {
			t.Fatal(err)
		}
		_, err = e.Webhooks.Endpoint(e.Ctx, admin, ep.ID)
		wantFault(t, err, fault.NotFound, "")
		wantFault(t, e.Webhooks.DeleteEndpoint(e.Ctx, admin, ep.ID), fault.NotFound, "")
		_, err = e.Webhooks.UpdateEndpoint(e.Ctx, admin, ep.ID, webhook.EndpointParams{Enabled: ptr(true)})
		wantFault(t, err, fault.NotFound, "")
		_, _, err = e.Webhooks.Deliveries(e.Ctx, admin, store.DeliveryFilter{EndpointID: ep.ID})
		wantFault(t, err, fault.NotFound, "")
		_, err = e.Webhooks.Delivery(e.Ctx, admin, "msg_nope")
		wantFault(t, err, fault.NotFound, "")
		_, err = e.Webhooks.Redeliver(e.Ctx, admin, "msg_nope")
		wantFault(t, err, fault.NotFound, "")
	})
}

func TestDeliveriesAreSignedAndGoOnlyWhereSubscribed(t *testing.T) {
	t.Parallel()
	eachStore(t, outbound.AllowInternal, func(t *testing.T, e *env) {
		r := webhooktest.Start(t)
		ep := e.create(subscribe(r.URL+"/hook", "dispute.created", "dispute.resolved"))
		all := e.create(subscribe(r.URL+"/all", webhook.All))
		off := e.create(subscribe(r.URL+"/off", webhook.All))
		if _, err := e.Webhooks.UpdateEndpoint(e.Ctx, admin, off.ID, webhook.EndpointParams{Enabled: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		r.Setup(ep.Secret, 0)
		created := e.emit("dispute.created")
		e.emit("dispute.updated")
		e.emit("dispute.resolved")
		if n := len(e.deliveries(all.ID)); n != 3 {
			t.Fatalf("%d deliveries to the endpoint of every event, want 3", n)
		}
		if n := len(e.deliveries(off.ID)); n != 0 {
			t.Fatalf("%d deliveries to a disabled endpoint", n)
		}
		if err := e.Webhooks.DeleteEndpoint(e.Ctx, admin, all.ID); err != nil {
			t.Fatal(err)
		}
		e.RunJobs()
		got := r.Deliveries()
		// The runner sends several deliveries at once: their order is not the events'.
		slices.SortFunc(got, func(a, b webhooktest.Delivery) int { return strings.Compare(a.Type, b.Type) })
		if len(got) != 2 || got[0].Type != "dispute.created" || got[1].Type != "dispute.resolved" ||
			got[0].ValidSigs != 1 || got[0].AllSigs != 1 || got[1].ValidSigs != 1 {
			t.Fatalf("received %+v", got)
		}
		ds := e.deliveries(ep.ID)
		first := ds[len(ds)-1]
		if len(ds) != 2 || first.Delivery.ID != got[0].ID || first.Delivery.EventID != created.ID ||
			first.Delivery.State != store.DeliveryDelivered || first.Delivery.Attempts != 1 || first.Delivery.LastStatus != 204 ||
			len(first.Attempts) != 1 || first.Attempts[0].Status != 204 {
			t.Fatalf("deliveries: %+v", ds)
		}
		page, more, err := e.Webhooks.Deliveries(e.Ctx, admin, store.DeliveryFilter{Page: store.Page{Limit: 1}, EndpointID: ep.ID})
		if err != nil || len(page) != 1 || !more || page[0].ID != ds[0].Delivery.ID {
			t.Fatalf("a page of one: %v, more %v, %v", page, more, err)
		}
		if page, more, err = e.Webhooks.Deliveries(e.Ctx, admin, store.DeliveryFilter{Page: store.Page{Limit: 2}, EndpointID: ep.ID}); err != nil || len(page) != 2 || more {
			t.Fatalf("a page of two: %v, more %v, %v", page, more, err)
		}
		// The deliveries to the deleted endpoint end, failed, when their job runs.
		ended := 0
		for _, d := range e.deliveriesOfDeleted(all.ID) {
			if d.State != store.DeliveryFailed || d.LastError != "the endpoint was deleted" {
				t.Errorf("delivery to the deleted endpoint: %+v", d)
			}
			ended++
		}
		if ended != 3 {
			t.Fatalf("%d deliveries to the deleted endpoint, want 3", ended)
		}
	})
}

// deliveriesOfDeleted reads an endpoint's deliveries from the store: the service refuses to list
// those of an endpoint that is gone.
func (e *env) deliveriesOfDeleted(endpointID string) []store.WebhookDelivery {
	e.t.Helper()
	ds, err := e.Store.ListWebhookDeliveries(e.Ctx, store.DeliveryFilter{Page: store.Page{Limit: 100}, EndpointID: endpointID})
	if err != nil {
		e.t.Fatal(err)
	}
	return ds
}

// TestFailedDeliveryIsRetriedThenRedelivered: failed attempts are retried on the schedule and
// each is kept with what the receiver answered; a delivery keeps its id across attempts and
// redeliveries.
func TestFailedDeliveryIsRetriedThenRedelivered(t *testing.T) {
	t.Parallel()
	eachStore(t, outbound.AllowInternal, func(t *testing.T, e *env) {
		r := webhooktest.Start(t)
		ep := e.create(subscribe(r.URL, "customer.blocked"))
		r.Setup(ep.Secret, 2)
		e.emit("customer.blocked")
		e.RunJobs()
		if n := len(r.Deliveries()); n != 1 {
			t.Fatalf("%d attempts after the first run", n)
		}
		if got := e.endpoint(ep.ID); got.FailureStreak != 1 || !got.Enabled {
			t.Fatalf("after a failure: %+v", got)
		}
		e.Clock.Advance(4 * time.Second) // short of the first wait (5 s)
		e.RunJobs()
		if n := len(r.Deliveries()); n != 1 {
			t.Fatalf("%d attempts before the retry was due", n)
		}
		e.Clock.Advance(time.Second)
		e.RunJobs()
		e.Clock.Advance(5 * time.Minute)
		e.RunJobs()
		got := r.Deliveries()
		if len(got) != 3 || got[0].ID != got[2].ID || got[2].ValidSigs != 1 {
			t.Fatalf("attempts: %+v", got)
		}
		v := e.deliveries(ep.ID)[0]
		if v.Delivery.State != store.DeliveryDelivered || v.Delivery.Attempts != 3 || len(v.Attempts) != 3 ||
			v.Attempts[0].Status != 500 || !strings.Contains(v.Attempts[0].Response, "maintenance") ||
			!strings.Contains(v.Attempts[0].Error, "500") || v.Attempts[2].Status != 204 || v.Attempts[2].Error != "" {
			t.Fatalf("delivery: %+v", v)
		}
		if got := e.endpoint(ep.ID); got.FailureStreak != 0 {
			t.Fatalf("the run of failures did not end: %+v", got)
		}
		// Redelivery sends it once more, under the same id, and keeps counting its attempts.
		again, err := e.Webhooks.Redeliver(e.Ctx, admin, v.Delivery.ID)
		if err != nil || again.Delivery.State != store.DeliveryPending || len(again.Attempts) != 3 {
			t.Fatalf("redeliver: %+v %v", again, err)
		}
		e.RunJobs()
		if got := r.Deliveries(); len(got) != 4 || got[3].ID != got[0].ID {
			t.Fatalf("after redelivery: %+v", got)
		}
		if v := e.deliveries(ep.ID)[0]; v.Delivery.State != store.DeliveryDelivered || v.Delivery.Attempts != 4 {
			t.Fatalf("redelivered: %+v", v.Delivery)
		}
	})
}

func TestEndpointIsDisabledAfterARunOfFailures(t *testing.T) {
	t.Parallel()
	eachStore(t, outbound.AllowInternal, func(t *testing.T, e *env) {
		r := webhooktest.Start(t)
		ep := e.create(webhook.EndpointParams{URL: &r.URL, Events: &[]string{webhook.All}, DisableAfter: ptr(2)})
		r.Setup(ep.Secret, 1000)
		e.emit("customer.blocked")
		for range 3 {
			e.RunJobs()
			e.Clock.Advance(time.Hour)
		}
		got := e.endpoint(ep.ID)
		if got.Enabled || !strings.Contains(got.DisabledReason, "2 failed attempts in a row") ||
			!strings.Contains(got.DisabledReason, "500") {
			t.Fatalf("endpoint after two failures: %+v", got)
		}
		if n := len(r.Deliveries()); n != 2 {
			t.Fatalf("%d attempts reached the receiver, want 2", n)
		}
		if d := e.deliveries(ep.ID)[0].Delivery; d.State != store.DeliveryFailed ||
			!strings.HasPrefix(d.LastError, "the endpoint is disabled: 2 failed attempts in a row") {
			t.Fatalf("the delivery left pending on a disabled endpoint: %+v", d)
		}
		e.emit("customer.blocked")
		e.RunJobs()
		if n := len(r.Deliveries()); n != 2 {
			t.Fatal("a disabled endpoint received an event")
		}
		r.Setup(ep.Secret, 0)
		on, err := e.Webhooks.UpdateEndpoint(e.Ctx, admin, ep.ID, webhook.EndpointParams{Enabled: ptr(true)})
		if err != nil || !on.Enabled || on.FailureStreak != 0 {
			t.Fatalf("enabled again: %+v %v", on, err)
		}
		e.emit("customer.blocked")
		e.RunJobs()
		if got := r.Deliveries(); len(got) != 3 || got[2].ValidSigs != 1 {
			t.Fatalf("after enabling again: %+v", got)
		}
	})
}

// TestSecretRotation: for a day after a rotation both secrets sign, so that a receiver checking
// either one accepts the deliveries; then only the new one.
func TestSecretRotation(t *testing.T) {
	t.Parallel()
	eachStore(t, outbound.AllowInternal, func(t *testing.T, e *env) {
		r := webhooktest.Start(t)
		ep := e.create(subscribe(r.URL, "customer.blocked"))
		rot, err := e.Webhooks.RotateEndpointSecret(e.Ctx, admin, ep.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rot.Secret == ep.Secret || !strings.HasPrefix(rot.Secret, "whsec_") || rot.PreviousSecret != ep.Secret ||
			!rot.PreviousUntil.Equal(testenv.Start.Add(24*time.Hour)) {
			t.Fatalf("rotated: %+v", rot)
		}
		for _, secret := range []string{ep.Secret, rot.Secret} {
			r.Setup(secret, 0)
			e.emit("customer.blocked")
			e.RunJobs()
			got := r.Deliveries()
			if last := got[len(got)-1]; last.AllSigs != 2 || last.ValidSigs != 1 {
				t.Fatalf("during the grace period, %d signatures, %d valid under %s", last.AllSigs, last.ValidSigs, secret)
			}
		}
		e.Clock.Advance(25 * time.Hour)
		r.Setup(rot.Secret, 0)
		e.emit("customer.blocked")
		e.RunJobs()
		got := r.Deliveries()
		if last := got[len(got)-1]; last.AllSigs != 1 || last.ValidSigs != 1 {
			t.Fatalf("after the grace period: %+v", last)
		}
	})
}

// TestDeliveryToAPrivateAddressFailsAtOnce: when the outbound client refuses private addresses,
// a delivery to loopback fails for good on its first attempt, with the reason, and the receiver
// hears nothing.
func TestDeliveryToAPrivateAddressFailsAtOnce(t *testing.T) {
	t.Parallel()
	eachStore(t, outbound.Policy{}, func(t *testing.T, e *env) {
		r := webhooktest.Start(t)
		ep := e.create(subscribe(r.URL, webhook.All))
		e.emit("customer.blocked")
		e.RunJobs()
		d := e.deliveries(ep.ID)[0].Delivery
		if d.State != store.DeliveryFailed || d.Attempts != 1 || !strings.Contains(d.LastError, "private address") || len(r.Deliveries()) != 0 {
			t.Fatalf("delivery: %+v; received %d", d, len(r.Deliveries()))
		}
		j, err := e.Store.ListJobs(e.Ctx, store.JobFilter{Kind: webhook.KindDeliver})
		if err != nil || len(j) != 1 || j[0].State != store.JobDead || j[0].MaxAttempts != webhook.MaxAttempts {
			t.Fatalf("jobs: %+v %v", j, err)
		}
	})
}
