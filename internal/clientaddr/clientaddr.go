// Package clientaddr says who a request comes from, for the limits counted per client: the API's
// rate limit of what no valid key pays for, and the web UI's sign-in lockout.
package clientaddr

import (
	"net/http"
	"net/netip"
)

// Of is the request's TCP peer: its IP, IPv6 grouped by /64 (what one host is usually given, so
// that it cannot take a fresh count per address). Behind a reverse proxy every request shares
// the proxy's address.
func Of(r *http.Request) string {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	ip := ap.Addr().Unmap()
	if ip.Is4() {
		return ip.String()
	}
	p, _ := ip.Prefix(64)
	return p.String()
}
