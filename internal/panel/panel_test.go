package panel

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/outbound"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const testSecret = "test-secret-0123456789"

// call is one request the fake panel received, after it checked the signature.
type call struct {
	path string // escaped
	key  string
	body wireRequest
}

// fake is a panel's HTTP API: it checks each request as a panel implementer would (method,
// headers, signature with Verify) and answers with reply.
type fake struct {
	t     *testing.T
	srv   *httptest.Server
	reply http.HandlerFunc

	mu    sync.Mutex
	calls []call
}

// newFake starts a fake panel answering with reply (200 "ok" when nil).
func newFake(t *testing.T, reply http.HandlerFunc) *fake {
	t.Helper()
	if reply == nil {
		reply = func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") }
	}
	f := &fake{t: t, reply: reply}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		f.t.Errorf("reading the request: %v", err)
		return
	}
	for h, want := range map[string]string{"Content-Type": "application/json", "User-Agent": "disputed"} {
		if got := r.Header.Get(h); got != want {
			f.t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if r.Method != http.MethodPost {
		f.t.Errorf("method = %s, want POST", r.Method)
	}
	if err := Verify(testSecret, r.Header.Get(HeaderSignature), body, t0, time.Minute); err != nil {
		f.t.Errorf("signature %q: %v", r.Header.Get(HeaderSignature), err)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	c := call{path: r.URL.EscapedPath(), key: r.Header.Get(HeaderIdempotencyKey)}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c.body); err != nil {
		f.t.Errorf("body %s: %v", body, err)
	}
	f.mu.Lock()
	f.calls = append(f.calls, c)
	f.mu.Unlock()
	f.reply(w, r)
}

func (f *fake) received() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...)
}

// panel returns an http panel in front of f; edit adjusts its configuration.
func (f *fake) panel(edit func(*Config)) Panel {
	f.t.Helper()
	c := httpConfig()
	c.BaseURL, c.Secret = f.srv.URL+"/api/", testSecret
	if edit != nil {
		edit(&c)
	}
	p, err := New(c, outbound.NewClient(outbound.AllowInternal), func() time.Time { return t0 })
	if err != nil {
		f.t.Fatalf("New: %v", err)
	}
	return p
}

func request(a order.LineAction) Request {
	return Request{LineID: "line_1", ExternalID: "vm-1", OrderID: "ord_1", DisputeID: "dp_1", Action: a, Key: "line_1:suspend:1"}
}

// panelError returns the *Error in err, failing the test if there is none.
func panelError(t *testing.T, err error) *Error {
	t.Helper()
	pe, ok := errors.AsType[*Error](err)
	if !ok {
		t.Fatalf("err = %v (%T), want a *panel.Error", err, err)
	}
	return pe
}

func TestDoSends(t *testing.T) {
	t.Parallel()
	for _, a := range []order.LineAction{order.Suspend, order.Enable, order.Terminate} {
		t.Run(string(a), func(t *testing.T) {
			t.Parallel()
			f := newFake(t, func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(http.StatusAccepted)
				io.WriteString(w, `{"state":"done"}`)
			})
			r := request(a)
			r.ExternalID = "vm/1 ü?#%"
			ans, err := f.panel(nil).Do(t.Context(), r)
			if err != nil {
				t.Fatalf("Do: %v", err)
			}
			if ans != (Answer{Status: http.StatusAccepted, Body: `{"state":"done"}`}) {
				t.Errorf("answer = %+v", ans)
			}
			calls := f.received()
			if len(calls) != 1 {
				t.Fatalf("%d calls, want 1", len(calls))
			}
			want := call{
				path: "/api/lines/vm%2F1%20%C3%BC%3F%23%25/" + string(a),
				key:  r.Key,
				body: wireRequest{LineID: "line_1", ExternalID: r.ExternalID, OrderID: "ord_1", DisputeID: "dp_1", Action: a},
			}
			if calls[0] != want {
				t.Errorf("call = %+v\nwant   %+v", calls[0], want)
			}
		})
	}
}

func TestDoStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status    int
		ok        bool
		permanent bool
	}{
		{200, true, false},
		{201, true, false},
		{204, true, false},
		{400, false, true},
		{401, false, true},
		{403, false, true},
		{404, false, true},
		{410, false, true},
		{422, false, true},
		{408, false, false},
		{409, false, false},
		{425, false, false},
		{429, false, false},
		{500, false, false},
		{501, false, true},
		{502, false, false},
		{503, false, false},
		{504, false, false},
		{302, false, true}, // not followed: the base URL is wrong
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			t.Parallel()
			f := newFake(t, func(w http.ResponseWriter, _ *http.Request) {
				if tt.status == http.StatusFound {
					w.Header().Set("Location", "/elsewhere")
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, "line said no")
			})
			p := f.panel(nil)
			ans, err := p.Do(t.Context(), request(order.Suspend))
			if tt.ok {
				if err != nil || ans.Status != tt.status {
					t.Fatalf("Do = %+v, %v; want status %d", ans, err, tt.status)
				}
				return
			}
			pe := panelError(t, err)
			if pe.Status != tt.status || pe.Permanent != tt.permanent || pe.Body != "line said no" || pe.Err != nil {
				t.Errorf("Error = %+v; want status %d, permanent %v", pe, tt.status, tt.permanent)
			}
			msg := err.Error()
			for _, s := range []string{`"proxmox"`, "/api/lines/vm-1/suspend", "status " + strconv.Itoa(tt.status)} {
				if !strings.Contains(msg, s) {
					t.Errorf("message %q does not name %q", msg, s)
				}
			}
			if len(f.received()) != 1 {
				t.Errorf("%d calls, want 1 (no redirect followed)", len(f.received()))
			}
		})
	}
}

func TestDoTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		select { // longer than the timeout; returns early so that the server can close
		case <-release:
		case <-time.After(5 * time.Second):
		}
	})
	defer close(release) // runs before the server's cleanup
	p := f.panel(func(c *Config) { c.Timeout = 50 * time.Millisecond })

	start := time.Now()
	_, err := p.Do(t.Context(), request(order.Suspend))
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Do took %v with a 50ms timeout", d)
	}
	pe := panelError(t, err)
	if pe.Permanent || pe.Status != 0 || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Error = %+v (%v); want a transient deadline error", pe, err)
	}
	if !strings.Contains(err.Error(), "no answer within 50ms") {
		t.Errorf("message %q does not give the timeout", err)
	}
}

// TestDoCallerDeadline shows that a caller's shorter deadline wins over the panel's timeout.
func TestDoCallerDeadline(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-time.After(5 * time.Second):
		}
	})
	defer close(release)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := f.panel(nil).Do(ctx, request(order.Suspend)) // the panel's timeout is 10s
	if pe := panelError(t, err); pe.Permanent || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Error = %+v (%v); want a transient deadline error", pe, err)
	}
}

func TestDoConnectionError(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	p := f.panel(nil)
	f.srv.Close() // nothing listens any more
	_, err := p.Do(t.Context(), request(order.Suspend))
	if pe := panelError(t, err); pe.Permanent || pe.Status != 0 || pe.Err == nil {
		t.Errorf("Error = %+v; want a transient error with a cause", pe)
	}
}

func TestDoRefusesPrivateAddress(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	c := httpConfig()
	c.BaseURL = f.srv.URL
	p, err := New(c, outbound.NewClient(outbound.Policy{}), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Do(t.Context(), request(order.Suspend))
	if pe := panelError(t, err); !pe.Permanent || !errors.Is(err, outbound.ErrPrivateAddress) {
		t.Errorf("Error = %+v (%v); want a permanent refusal", pe, err)
	}
	if n := len(f.received()); n != 0 {
		t.Errorf("the panel was called %d times", n)
	}
}

// TestDoBody checks that a reply is kept as at most MaxBody bytes of valid UTF-8.
func TestDoBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, reply, want string
	}{
		{"short", "fine", "fine"},
		{"exactly MaxBody", strings.Repeat("a", MaxBody), strings.Repeat("a", MaxBody)},
		{"long", strings.Repeat("a", 5000), strings.Repeat("a", MaxBody)},
		{"rune across the limit", strings.Repeat("a", MaxBody-1) + "é", strings.Repeat("a", MaxBody-1)},
		{"multi-byte runes", strings.Repeat("€", 1000), strings.Repeat("€", MaxBody/3)},
		{"invalid UTF-8", "ok\xff\xfe!", "ok\uFFFD!"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, tt.reply) })
			ans, err := f.panel(nil).Do(t.Context(), request(order.Suspend))
			if err != nil {
				t.Fatal(err)
			}
			if ans.Body != tt.want || len(ans.Body) > MaxBody || !utf8.ValidString(ans.Body) {
				t.Errorf("body = %q (%d bytes), want %q", ans.Body, len(ans.Body), tt.want)
			}
		})
	}
}

func TestCan(t *testing.T) {
	t.Parallel()
	all := []order.LineAction{order.Suspend, order.Enable, order.Terminate, order.NoAction, "reboot"}
	tests := []struct {
		caps []Capability
		want []order.LineAction
	}{
		{nil, []order.LineAction{order.Suspend, order.Enable, order.Terminate}},
		{[]Capability{Toggle, Terminate}, []order.LineAction{order.Suspend, order.Enable, order.Terminate}},
		{[]Capability{Toggle}, []order.LineAction{order.Suspend, order.Enable}},
		{[]Capability{Terminate}, []order.LineAction{order.Terminate}},
	}
	for _, tt := range tests {
		c := httpConfig()
		c.Capabilities = tt.caps
		p, err := New(c, http.DefaultClient, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range all {
			want := false
			for _, w := range tt.want {
				want = want || w == a
			}
			if got := p.Can(a); got != want {
				t.Errorf("capabilities %v: Can(%q) = %v, want %v", tt.caps, a, got, want)
			}
		}
	}
	m, err := New(Config{Name: "by-hand", Type: TypeManual}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range all {
		if m.Can(a) {
			t.Errorf("manual: Can(%q) = true", a)
		}
	}
}

// TestDoRefusesBeforeSending covers requests that are refused without calling the panel.
func TestDoRefusesBeforeSending(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		caps []Capability
		edit func(*Request)
		want error
	}{
		{"cannot suspend", []Capability{Terminate}, func(*Request) {}, ErrNotCapable},
		{"cannot enable", []Capability{Terminate}, func(r *Request) { r.Action = order.Enable }, ErrNotCapable},
		{"cannot terminate", []Capability{Toggle}, func(r *Request) { r.Action = order.Terminate }, ErrNotCapable},
		{"no action", nil, func(r *Request) { r.Action = order.NoAction }, ErrBadRequest},
		{"unknown action", nil, func(r *Request) { r.Action = "reboot" }, ErrBadRequest},
		{"no external id", nil, func(r *Request) { r.ExternalID = "" }, ErrBadRequest},
		{"dot", nil, func(r *Request) { r.ExternalID = "." }, ErrBadRequest},
		{"dot-dot", nil, func(r *Request) { r.ExternalID = ".." }, ErrBadRequest},
		{"no key", nil, func(r *Request) { r.Key = "" }, ErrBadRequest},
		{"key with a newline", nil, func(r *Request) { r.Key = "a\nb" }, ErrBadRequest},
		{"key with a space", nil, func(r *Request) { r.Key = "a b" }, ErrBadRequest},
		{"long key", nil, func(r *Request) { r.Key = strings.Repeat("k", 256) }, ErrBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, nil)
			r := request(order.Suspend)
			tt.edit(&r)
			_, err := f.panel(func(c *Config) { c.Capabilities = tt.caps }).Do(t.Context(), r)
			if pe := panelError(t, err); !pe.Permanent || !errors.Is(err, tt.want) {
				t.Errorf("Error = %+v (%v); want permanent %v", pe, err, tt.want)
			}
			if n := len(f.received()); n != 0 {
				t.Errorf("the panel was called %d times", n)
			}
		})
	}
}

func TestManualDo(t *testing.T) {
	t.Parallel()
	p, err := New(Config{Name: "by-hand", Type: TypeManual}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name() != "by-hand" {
		t.Errorf("Name() = %q", p.Name())
	}
	_, err = p.Do(t.Context(), request(order.Terminate))
	if pe := panelError(t, err); !pe.Permanent || !errors.Is(err, ErrNotCapable) {
		t.Errorf("Error = %+v (%v); want permanent ErrNotCapable", pe, err)
	}
	if want := `panel "by-hand": terminate: the panel cannot do this action (manual panel)`; err.Error() != want {
		t.Errorf("message = %q, want %q", err, want)
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	p, err := New(httpConfig(), http.DefaultClient, nil)
	if err != nil || p.Name() != "proxmox" {
		t.Fatalf("New = %v, %v", p, err)
	}
	hp := p.(*httpPanel)
	if hp.timeout != DefaultTimeout || hp.base != "https://panel.example.com/api" {
		t.Errorf("timeout %v, base %q; want the default and no trailing slash", hp.timeout, hp.base)
	}
	if _, err := New(httpConfig(), nil, nil); err == nil {
		t.Error("New(http, nil client) succeeded")
	}
	bad := httpConfig()
	bad.Secret = "short"
	if _, err := New(bad, http.DefaultClient, nil); fault.Code(err) != "invalid_value" {
		t.Errorf("New(short secret) = %v, want the Validate error", err)
	}
}

func TestErrorMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Panel: "p", Path: "/lines/x/suspend", Status: 404, Body: "no such line"},
			`panel "p": POST /lines/x/suspend: status 404: "no such line"`},
		{&Error{Panel: "p", Path: "/lines/x/suspend", Status: 500},
			`panel "p": POST /lines/x/suspend: status 500`},
		{&Error{Panel: "p", Path: "/lines/x/enable", Err: io.ErrUnexpectedEOF},
			`panel "p": POST /lines/x/enable: unexpected EOF`},
		{&Error{Panel: "p", Path: "/x", Status: 502, Body: strings.Repeat("b", 500)},
			`panel "p": POST /x: status 502: "` + strings.Repeat("b", 120) + `"`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	if !errors.Is(&Error{Err: io.ErrUnexpectedEOF}, io.ErrUnexpectedEOF) {
		t.Error("Unwrap does not reach the cause")
	}
}
