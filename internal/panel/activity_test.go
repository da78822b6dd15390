package panel

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"disputed/internal/order"
	"disputed/internal/outbound"
)

// activityPanel is an http panel reporting activity in front of a server answering with reply,
// which gets each request after its signature was checked.
func activityPanel(t *testing.T, reply func(w http.ResponseWriter, r *http.Request, body wireActivityRequest)) Panel {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		if err := Verify(testSecret, r.Header.Get(HeaderSignature), raw, t0, time.Minute); err != nil {
			t.Errorf("signature: %v", err)
		}
		var body wireActivityRequest
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&body); err != nil {
			t.Errorf("body %s: %v", raw, err)
		}
		reply(w, r, body)
	}))
	t.Cleanup(srv.Close)
	c := httpConfig()
	c.BaseURL, c.Secret, c.Capabilities = srv.URL+"/api", testSecret, []Capability{Toggle, ReportActivity}
	p, err := New(c, outbound.NewClient(outbound.AllowInternal), func() time.Time { return t0 })
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func activityRequest() ActivityRequest {
	return ActivityRequest{LineID: "line_1", ExternalID: "vm/1", OrderID: "ord_1", DisputeID: "dp_1",
		Since: t0.Add(-24 * time.Hour), Key: "job_1"}
}

func TestActivityAsksAndReads(t *testing.T) {
	t.Parallel()
	p := activityPanel(t, func(w http.ResponseWriter, r *http.Request, body wireActivityRequest) {
		want := wireActivityRequest{LineID: "line_1", ExternalID: "vm/1", OrderID: "ord_1", DisputeID: "dp_1", Since: t0.Add(-24 * time.Hour)}
		if r.URL.EscapedPath() != "/api/lines/vm%2F1/activity" || r.Header.Get(HeaderIdempotencyKey) != "job_1" || body != want {
			t.Errorf("request %s key %q body %+v", r.URL.EscapedPath(), r.Header.Get(HeaderIdempotencyKey), body)
		}
		io.WriteString(w, `{"data": [{"kind": "sign_in", "ip": "203.0.113.7", "at": "2026-03-01T10:00:00Z", "detail": "web"},
			{"kind": "stream", "at": "2026-03-01T11:00:00+01:00"}]}`)
	})
	got, err := p.Activity(t.Context(), activityRequest())
	if err != nil {
		t.Fatal(err)
	}
	want := []order.ActivityReport{
		{Kind: "sign_in", IP: "203.0.113.7", At: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC), Detail: "web"},
		{Kind: "stream", At: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)},
	}
	if len(got) != 2 || got[0] != want[0] || got[1].Kind != want[1].Kind || !got[1].At.Equal(want[1].At) {
		t.Fatalf("entries %+v, want %+v", got, want)
	}
}

func TestActivityAnswers(t *testing.T) {
	t.Parallel()
	tooMany := `{"data": [` + strings.Repeat(`{"kind": "usage", "at": "2026-03-01T10:00:00Z"},`, MaxActivityEntries) +
		`{"kind": "usage", "at": "2026-03-01T10:00:00Z"}]}`
	tests := []struct {
		name      string
		status    int
		body      string
		permanent bool
		cause     error
	}{
		{name: "unsupported", status: http.StatusNotImplemented, permanent: true, cause: ErrNoActivity},
		{name: "busy", status: http.StatusServiceUnavailable},
		{name: "unknown line", status: http.StatusNotFound, permanent: true},
		{name: "not the contract's shape", status: http.StatusOK, body: `{"data": [{"kind": "usage", "at": "yesterday"}]}`, permanent: true},
		{name: "too many entries", status: http.StatusOK, body: tooMany, permanent: true},
		{name: "too large", status: http.StatusOK, body: `{"data": [], "pad": "` + strings.Repeat("x", MaxActivityAnswer) + `"}`, permanent: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := activityPanel(t, func(w http.ResponseWriter, _ *http.Request, _ wireActivityRequest) {
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			})
			_, err := p.Activity(t.Context(), activityRequest())
			pe := panelError(t, err)
			if pe.Permanent != tt.permanent || (tt.cause != nil && !errors.Is(err, tt.cause)) {
				t.Fatalf("error %v: permanent %v, want %v (cause %v)", err, pe.Permanent, tt.permanent, tt.cause)
			}
			if tt.cause == nil && errors.Is(err, ErrNoActivity) {
				t.Fatalf("error %v taken for an unsupported request", err)
			}
		})
	}
}

func TestActivityNeedsTheCapability(t *testing.T) {
	t.Parallel()
	for _, caps := range [][]Capability{nil, {Toggle, Terminate}} {
		t.Run(fmt.Sprint(caps), func(t *testing.T) {
			t.Parallel()
			c := httpConfig()
			c.Capabilities = caps
			p, err := New(c, outbound.NewClient(outbound.AllowInternal), nil)
			if err != nil {
				t.Fatal(err)
			}
			if p.ReportsActivity() {
				t.Fatal("a panel that did not list activity reports it")
			}
			_, err = p.Activity(t.Context(), activityRequest())
			if !errors.Is(err, ErrNotCapable) {
				t.Fatalf("error %v, want ErrNotCapable", err)
			}
		})
	}
	m, err := New(Config{Name: "byhand", Type: TypeManual}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Activity(t.Context(), activityRequest()); m.ReportsActivity() || !errors.Is(err, ErrNotCapable) {
		t.Fatalf("a manual panel reports activity: %v", err)
	}
}
