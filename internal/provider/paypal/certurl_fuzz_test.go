package paypal

import (
	"net/http"
	"strings"
	"testing"
)

// FuzzCheckCertURL: a PAYPAL-CERT-URL comes from the request, so whatever checkCertURL accepts
// must make the HTTP client ask one of PayPal's certificate hosts, over https on the default
// port, for one certificate under the certificate path, with nothing else in the request line.
func FuzzCheckCertURL(f *testing.F) {
	for _, seed := range []string{
		"https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270",
		"https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77",
		"http://api.paypal.com/v1/notifications/certs/CERT-1", "https://api.paypal.com.evil.example/v1/notifications/certs/CERT-1",
		"https://api.paypal.com@evil.example/v1/notifications/certs/CERT-1", "https://api.paypal.com:8443/v1/notifications/certs/CERT-1",
		"https://api.paypal.com/v1/notifications/certs/../../oauth2/token", "https://api.paypal.com/v1/notifications/certs/a%2F..%2Fx",
		"https://API.PAYPAL.COM/v1/notifications/certs/CERT-1", "https://api.paypal.com./v1/notifications/certs/CERT-1",
		"https://api.paypal.com/v1/notifications/certs/CERT-1?x=1", "https://api.paypal.com\\@evil.example/v1/notifications/certs/C",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if checkCertURL(raw) != nil {
			return
		}
		req, err := http.NewRequest(http.MethodGet, raw, nil)
		if err != nil {
			t.Fatalf("accepted %q, which the HTTP client cannot request: %v", raw, err)
		}
		u := req.URL
		if u.Scheme != "https" || !certHosts[req.Host] || u.User != nil || u.Port() != "" {
			t.Fatalf("accepted %q: the client would connect to %s://%s", raw, u.Scheme, req.Host)
		}
		name, ok := strings.CutPrefix(u.RequestURI(), certPathPrefix)
		if !ok || name == "" || strings.ContainsAny(name, "/?#%\\") || name == "." || name == ".." {
			t.Fatalf("accepted %q: the client would ask for %q", raw, u.RequestURI())
		}
	})
}
