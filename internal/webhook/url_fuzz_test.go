package webhook

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// recorder is a transport that answers 204 and keeps the request.
type recorder struct{ req *http.Request }

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.req = req
	return &http.Response{StatusCode: http.StatusNoContent, Body: io.NopCloser(strings.NewReader("")), Request: req}, nil
}

// FuzzEndpointURL: an endpoint URL that ValidateURL accepts is delivered to exactly: the same
// scheme, host and request target that the URL says, without credentials; one it refuses is
// never called.
func FuzzEndpointURL(f *testing.F) {
	for _, seed := range []string{"https://erp.example/hooks/disputed", "http://erp.example:8080/h?a=1", "https://erp.example/h#frag",
		"ftp://erp.example/", "https://user:pw@erp.example/", "https:///path", "https://erp.example:99999/", "https://[::1]:443/x",
		"https://erp.example/a b", "//erp.example/x", "https:erp.example", "HTTPS://ERP.EXAMPLE/%zz"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		rec := &recorder{}
		_, err := Deliver(context.Background(), &http.Client{Transport: rec}, raw, "msg_1", []byte(`{}`), time.Now(),
			"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
		if ValidateURL(raw) != nil {
			if rec.req != nil {
				t.Fatalf("delivered to %q, which ValidateURL refuses", raw)
			}
			return
		}
		if err != nil || rec.req == nil {
			t.Fatalf("accepted %q but not delivered to it: %v", raw, err)
		}
		u, _ := url.Parse(raw)
		got := rec.req.URL
		// An empty port ("host:") is the scheme's default, which is what the client drops it for.
		if got.Scheme != u.Scheme || got.Host != strings.TrimSuffix(u.Host, ":") || got.User != nil || got.RequestURI() != u.RequestURI() || got.Host == "" {
			t.Fatalf("%q was delivered to %s", raw, got)
		}
	})
}
