package httpapi_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"disputed/internal/httpapi"
	"disputed/internal/order"
	"disputed/internal/testenv"
)

// TestLineActivityWire: what only the API shows of line activity (the rules are tested beside
// internal/app, on both stores): the entry's fields, a repeat answered with the entry kept, the
// errors naming the field (in a batch, the entry), the list newest first by pages and by time.
func TestLineActivityWire(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	line := e.Sale(testenv.SaleParams{Line: &order.LineSpec{Panel: "manual", ExternalID: "u1"}}).Lines[0].ID
	path := "/v1/lines/" + line + "/activity"
	now := e.Clock.Now().UTC()
	stamp := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }

	a := testenv.Want[httpapi.Activity](t, c.Post(path, map[string]any{"kind": "sign_in", "ip": "2001:DB8::0:1",
		"at": stamp(-3 * time.Hour), "detail": "Firefox on Linux"}), 201)
	if a.Object != "line_activity" || a.LineID != line || a.Label != "Signed in" || a.IP == nil || *a.IP != "2001:db8::1" ||
		a.Source != "api" || a.Detail == nil || *a.Detail != "Firefox on Linux" || !a.At.Equal(now.Add(-3*time.Hour)) {
		t.Fatalf("entry %+v", a)
	}
	again := testenv.Want[httpapi.Activity](t, c.Post(path, map[string]any{"kind": "sign_in", "ip": "2001:db8::1",
		"at": stamp(-3 * time.Hour), "detail": "Firefox on Linux"}), 201)
	if again.ID != a.ID {
		t.Fatalf("a repeat answered %s, want the entry kept, %s", again.ID, a.ID)
	}
	other := testenv.Want[httpapi.Activity](t, c.Post(path, map[string]any{"kind": "watched_live", "at": stamp(-time.Hour)}), 201)
	if other.Label != "Watched live" || other.IP != nil || other.Detail != nil {
		t.Fatalf("an undocumented kind: %+v", other)
	}

	testenv.WantError(t, c.Post(path, map[string]any{"kind": "sign_in"}), 422, "parameter_missing", "at")
	testenv.WantError(t, c.Post(path, map[string]any{"kind": "sign_in", "at": stamp(time.Hour)}), 422, "invalid_value", "at")
	testenv.WantError(t, c.Post(path, map[string]any{"kind": "Sign In", "at": stamp(0)}), 422, "invalid_value", "kind")
	testenv.WantError(t, c.Post(path, map[string]any{"kind": "sign_in", "ip": "localhost", "at": stamp(0)}), 422, "invalid_value", "ip")
	testenv.WantError(t, c.Post(path, map[string]any{"kind": "sign_in", "at": stamp(0), "detail": strings.Repeat("d", 1001)}), 422, "invalid_value", "detail")
	testenv.WantError(t, c.Post("/v1/lines/lin_nope/activity", map[string]any{"kind": "sign_in", "at": stamp(0)}), 404, "not_found")

	batch := path + "/batch"
	testenv.WantError(t, c.Post(batch, map[string]any{"data": []any{
		map[string]any{"kind": "stream", "at": stamp(-2 * time.Hour)},
		map[string]any{"kind": "stream", "at": stamp(2 * time.Hour)},
	}}), 422, "invalid_value", "data[1].at")
	many := make([]any, 101)
	for i := range many {
		many[i] = map[string]any{"kind": "stream", "at": stamp(-time.Duration(i) * time.Second)}
	}
	testenv.WantError(t, c.Post(batch, map[string]any{"data": many}), 422, "invalid_value", "data")
	got := testenv.Want[httpapi.List[httpapi.Activity]](t, c.Post(batch, map[string]any{"data": []any{
		map[string]any{"kind": "stream", "at": stamp(-2 * time.Hour), "detail": "episode 1"},
		map[string]any{"kind": "sign_in", "ip": "2001:db8::1", "at": stamp(-3 * time.Hour), "detail": "Firefox on Linux"},
	}}), 201)
	if len(got.Data) != 2 || got.Data[1].ID != a.ID || got.HasMore {
		t.Fatalf("batch answered %+v", got)
	}

	// Newest first: the undocumented kind, the stream, the sign-in.
	p1 := testenv.Want[httpapi.List[httpapi.Activity]](t, c.Get(path+"?limit=2"), 200)
	if len(p1.Data) != 2 || p1.Data[0].ID != other.ID || p1.Data[1].Kind != "stream" || !p1.HasMore || p1.NextCursor == nil {
		t.Fatalf("page 1: %+v", p1)
	}
	p2 := testenv.Want[httpapi.List[httpapi.Activity]](t, c.Get(path+"?limit=2&cursor="+*p1.NextCursor), 200)
	if len(p2.Data) != 1 || p2.Data[0].ID != a.ID || p2.HasMore {
		t.Fatalf("page 2: %+v", p2)
	}
	window := testenv.Want[httpapi.List[httpapi.Activity]](t, c.Get(path+"?since="+url.QueryEscape(stamp(-2*time.Hour))+
		"&until="+url.QueryEscape(stamp(-time.Hour))), 200)
	if len(window.Data) != 1 || window.Data[0].Kind != "stream" {
		t.Fatalf("since/until: %+v", window)
	}
	testenv.WantError(t, c.Get(path+"?since="+url.QueryEscape(stamp(0))+"&until="+url.QueryEscape(stamp(-time.Hour))), 422, "invalid_value", "until")
}
