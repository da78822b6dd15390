// Package paneltest is a provider panel for tests: an HTTP server speaking the panel protocol
// that the test scripts per line (by external id) — answer at once, fail a number of times
// first, answer too slowly, or refuse for good, and what activity to report — and that records
// every call it got.
package paneltest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"disputed/internal/order"
	"disputed/internal/panel"
)

// Secret is the secret the panel checks signatures with; register the panel with it.
const Secret = "panel-secret-0123456789"

// Panel is the scripted panel; its URL plus "/api" is the base_url to register.
type Panel struct {
	*httptest.Server
	mu    sync.Mutex
	calls []Call
	plans map[string]*Plan
}

// Call is one request the panel got.
type Call struct {
	Path   string // escaped, as sent
	Key    string // the idempotency key
	Signed bool   // the signature was good at the time of the call
	Body   string
}

// Plan scripts the answers for one line.
type Plan struct {
	Fail   int           // answer 503 this many times first
	Status int           // then answer this (0: 200)
	Sleep  time.Duration // before answering
	// Activity is what a successful activity request answers, in the contract's shape.
	Activity []order.ActivityReport
}

// Start starts the panel, closed when the test ends; it checks signatures against now, the
// clock of the app that calls it.
func Start(t testing.TB, now func() time.Time) *Panel {
	t.Helper()
	p := &Panel{plans: map[string]*Plan{}}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		signed := panel.Verify(Secret, r.Header.Get(panel.HeaderSignature), body, now(), time.Minute) == nil
		parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/api/lines/"), "/")
		p.mu.Lock()
		p.calls = append(p.calls, Call{Path: r.URL.EscapedPath(), Key: r.Header.Get(panel.HeaderIdempotencyKey), Signed: signed,
			Body: string(body)})
		plan := p.plans[parts[0]]
		if plan == nil {
			plan = &Plan{}
		}
		status := plan.Status
		if plan.Fail > 0 {
			plan.Fail--
			status = http.StatusServiceUnavailable
		}
		sleep, activity := plan.Sleep, plan.Activity
		p.mu.Unlock()
		time.Sleep(sleep)
		if !signed {
			status = http.StatusUnauthorized
		}
		if status == 0 {
			status = http.StatusOK
		}
		w.WriteHeader(status)
		if status < 300 && strings.HasSuffix(r.URL.Path, "/activity") {
			_ = json.NewEncoder(w).Encode(activityAnswer(activity))
			return
		}
		_, _ = w.Write([]byte(`{"ok":` + map[bool]string{true: "true", false: "false"}[status < 300] + `}`))
	}))
	t.Cleanup(p.Close)
	return p
}

// Plan scripts the answers for the line of externalID.
func (p *Panel) Plan(externalID string, plan Plan) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.plans[externalID] = &plan
}

// CallsTo returns the calls whose path ends in suffix, oldest first.
func (p *Panel) CallsTo(suffix string) []Call {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Call
	for _, c := range p.calls {
		if strings.HasSuffix(c.Path, suffix) {
			out = append(out, c)
		}
	}
	return out
}

// entry is an activity entry in the panel contract's shape.
type entry struct {
	Kind   string    `json:"kind"`
	IP     string    `json:"ip,omitempty"`
	At     time.Time `json:"at"`
	Detail string    `json:"detail,omitempty"`
}

func activityAnswer(rs []order.ActivityReport) map[string][]entry {
	data := make([]entry, len(rs))
	for i, r := range rs {
		data[i] = entry{Kind: r.Kind, IP: r.IP, At: r.At, Detail: r.Detail}
	}
	return map[string][]entry{"data": data}
}
