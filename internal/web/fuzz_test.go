package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzSafeNext: wherever a sign-in's next (or a line form's back) says to go, the redirect that
// follows keeps the browser on this site, as a browser reads the Location header.
func FuzzSafeNext(f *testing.F) {
	for _, seed := range []string{"/disputes?status=needs_response", "/orders/ord_1", "", "https://evil.example/",
		"//evil.example", "/\\evil.example", " //evil.example", "/%2F/evil.example", "javascript:alert(1)"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, next string) {
		req := httptest.NewRequest(http.MethodPost, "https://shop.example/login", nil)
		rec := httptest.NewRecorder()
		http.Redirect(rec, req, safeNext(next), http.StatusSeeOther)
		loc := rec.Header().Get("Location")
		to, err := req.URL.Parse(asBrowserReads(loc))
		if err != nil || to.Host != "shop.example" || (to.Scheme != "https" && to.Scheme != "") {
			t.Fatalf("next %q redirects to %q, which a browser reads as %v (%v)", next, loc, to, err)
		}
	})
}

// asBrowserReads applies what the WHATWG URL parser does to a URL before reading it: it trims C0
// controls and spaces at both ends, removes tabs and newlines, reads \ as / (in http and https
// URLs), and keeps other control characters and a % that starts no escape as they are (written
// here as escapes, for Go's parser).
func asBrowserReads(u string) string {
	u = strings.TrimFunc(u, func(r rune) bool { return r <= ' ' })
	u = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(u)
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		switch c := u[i]; {
		case c == '\\':
			b.WriteByte('/')
		case c < ' ' || c == 0x7f || (c == '%' && !isEscape(u[i+1:])):
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isEscape(s string) bool {
	hex := func(c byte) bool { return strings.IndexByte("0123456789abcdefABCDEF", c) >= 0 }
	return len(s) >= 2 && hex(s[0]) && hex(s[1])
}
