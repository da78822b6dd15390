package clientaddr

import (
	"net/http"
	"testing"
)

func TestOf(t *testing.T) {
	t.Parallel()
	for remote, want := range map[string]string{
		"192.0.2.7:51234":                    "192.0.2.7",
		"[::ffff:192.0.2.7]:51234":           "192.0.2.7",
		"[2001:db8:1:2:3:4:5:6]:443":         "2001:db8:1:2::/64",
		"[2001:db8:1:2:ffff:ffff:ffff:1]:80": "2001:db8:1:2::/64",
		"not an address":                     "not an address",
	} {
		if got := Of(&http.Request{RemoteAddr: remote}); got != want {
			t.Errorf("Of(%q) = %q, want %q", remote, got, want)
		}
	}
}
