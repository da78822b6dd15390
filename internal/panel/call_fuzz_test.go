package panel

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"disputed/internal/order"
)

// recorder is a transport that answers 200 and keeps the request.
type recorder struct{ req *http.Request }

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.req = req
	return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(strings.NewReader("ok")), Request: req}, nil
}

// FuzzPanelCall: for a base_url that a panel's configuration accepts and any line's external id,
// the action is POSTed to the configured host, on the configured path, about that line and no
// other: /lines/<external id>/<action>, the id in one segment that decodes back to itself.
func FuzzPanelCall(f *testing.F) {
	for _, seed := range [][2]string{
		{"https://panel.example/api", "u-1"}, {"https://panel.example/api/", "a/b"}, {"http://10.0.0.7:8080", "../x"},
		{"https://panel.example/a%2Fb", "?x=1"}, {"https://panel.example", "%2e%2e"}, {"https://panel.example/api", "é#1"},
		{"https://user@panel.example", "u"}, {"https://panel.example/api?x=1", "u"}, {"https://[::1]:99/p", "."},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, baseURL, externalID string) {
		c := Config{Name: "xui", Type: TypeHTTP, BaseURL: baseURL, Secret: "0123456789abcdef"}
		if c.Validate() != nil {
			return
		}
		rec := &recorder{}
		p, err := New(c, &http.Client{Transport: rec}, time.Now)
		if err != nil {
			t.Fatalf("New refused a valid configuration: %v", err)
		}
		_, err = p.Do(context.Background(), Request{LineID: "line_1", ExternalID: externalID, OrderID: "ord_1", Action: order.Suspend, Key: "k1"})
		if rec.req == nil {
			return // refused before sending (an external id that cannot be a path segment)
		}
		if err != nil {
			t.Fatalf("a 200 answer reported as %v", err)
		}
		base, _ := url.Parse(baseURL)
		got := rec.req.URL
		// An empty port ("host:") is the scheme's default, which is what the client drops it for.
		if got.Scheme != base.Scheme || got.Host != strings.TrimSuffix(base.Host, ":") || got.User != nil || got.RawQuery != "" {
			t.Fatalf("base %q, line %q: sent to %s", baseURL, externalID, got)
		}
		rest, ok := strings.CutPrefix(got.EscapedPath(), strings.TrimRight(base.EscapedPath(), "/")+"/lines/")
		segment, action, two := strings.Cut(rest, "/")
		if !ok || !two || action != string(order.Suspend) {
			t.Fatalf("base %q, line %q: sent to the path %q", baseURL, externalID, got.EscapedPath())
		}
		if id, err := url.PathUnescape(segment); err != nil || id != externalID || segment == "." || segment == ".." {
			t.Fatalf("base %q, line %q: the path %q names the line %q (%v)", baseURL, externalID, got.EscapedPath(), id, err)
		}
	})
}

// answer is a transport that answers with a given status and body.
type answer struct {
	status int
	body   []byte
}

func (a answer) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: a.status, Body: io.NopCloser(bytes.NewReader(a.body)), Request: req}, nil
}

// FuzzPanelAnswer: whatever a panel answers, what the line's history keeps of it is text any
// database stores (UTF-8, no NUL character), at most MaxBody bytes.
func FuzzPanelAnswer(f *testing.F) {
	f.Add(200, []byte(`{"ok":true}`))
	f.Add(503, []byte("<html>Service Unavailable</html>"))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			return
		}
		p, err := New(Config{Name: "xui", Type: TypeHTTP, BaseURL: "https://panel.example", Secret: "0123456789abcdef"},
			&http.Client{Transport: answer{status, body}}, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		a, err := p.Do(context.Background(), Request{LineID: "line_1", ExternalID: "u-1", OrderID: "ord_1", Action: order.Suspend, Key: "k1"})
		kept := a.Body
		if pe, ok := errors.AsType[*Error](err); ok {
			kept = pe.Body
		}
		if !utf8.ValidString(kept) || strings.ContainsRune(kept, 0) || len(kept) > MaxBody {
			t.Fatalf("answer %d %q is kept as %q", status, body, kept)
		}
	})
}

// FuzzActivityAnswer: whatever a panel answers to an activity request, it comes back as at most
// MaxActivityEntries entries, or as an *Error whose kept body is text any database stores; every
// entry the app then records goes through order.NewActivity's checks.
func FuzzActivityAnswer(f *testing.F) {
	f.Add(200, []byte(`{"data":[{"kind":"sign_in","ip":"203.0.113.7","at":"2026-10-02T10:00:00Z","detail":"web"}]}`))
	f.Add(200, []byte(`{"data":null}`))
	f.Add(501, []byte("not implemented"))
	f.Add(200, []byte(`{"data":[{"at":"yesterday"}]}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			return
		}
		p, err := New(Config{Name: "xui", Type: TypeHTTP, BaseURL: "https://panel.example", Secret: "0123456789abcdef",
			Capabilities: []Capability{Toggle, ReportActivity}}, &http.Client{Transport: answer{status, body}}, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.Activity(context.Background(), ActivityRequest{LineID: "line_1", ExternalID: "u-1", OrderID: "ord_1", Key: "k1"})
		if pe, ok := errors.AsType[*Error](err); ok {
			if !utf8.ValidString(pe.Body) || strings.ContainsRune(pe.Body, 0) || len(pe.Body) > MaxBody {
				t.Fatalf("answer %d %q is kept as %q", status, body, pe.Body)
			}
			return
		}
		if err != nil || len(got) > MaxActivityEntries || (status < 200 || status >= 300) {
			t.Fatalf("answer %d %q: %d entries, %v", status, body, len(got), err)
		}
	})
}
