// Package outbound builds the one HTTP client used for every outgoing call the server makes to an
// address a user configured (panels now, webhooks later).
//
// Such an address is attacker-controlled input: without a guard, an admin (or anyone who can set a
// panel or webhook URL) could make the server call services that only it can reach — a database's
// HTTP port, a cloud metadata endpoint, the admin UI on localhost. The client refuses to connect
// to loopback, private, link-local, CGNAT and other non-public addresses. The check runs in the
// dialer, on the address actually being connected to after DNS resolution, so a name that resolves
// to a public address when the URL is saved and to 127.0.0.1 later (DNS rebinding) is still
// refused.
package outbound

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// AllowPrivateEnv is the setting that lets the client reach private addresses, named in the
// refusal so that whoever reads the error knows how to allow a panel on their own network.
const AllowPrivateEnv = "DISPUTED_WEBHOOK_ALLOW_PRIVATE"

// ErrPrivateAddress is what a *RefusedError matches with errors.Is.
var ErrPrivateAddress = errors.New("outbound: private address")

// RefusedError reports a connection refused because its address is not public. It reaches the
// caller wrapped in *url.Error and *net.OpError; find it with errors.As or errors.Is
// (ErrPrivateAddress). Retrying does not help: the configuration must change.
type RefusedError struct {
	Addr netip.Addr // the address dialled
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("outbound: refusing to connect to private address %s (set %s=1 to allow)", e.Addr, AllowPrivateEnv)
}

// Is lets errors.Is(err, ErrPrivateAddress) find a refusal without a type assertion.
func (e *RefusedError) Is(target error) bool { return target == ErrPrivateAddress }

// NewClient returns the client for user-configured addresses. allowPrivate lifts the address
// check (a panel on the same host or LAN, tests against httptest servers).
//
// The client has no overall timeout: every caller passes a context with its own deadline (a panel
// call has the panel's configured timeout). It never follows redirects: a redirect is the remote
// end's answer, reported to the caller as it is; following it would also carry the signed body
// and idempotency key to an address nobody configured.
func NewClient(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{
		Timeout:   10 * time.Second,
		KeepAlive: 30 * time.Second,
		Control:   control(allowPrivate),
	}
	transport := &http.Transport{
		// No proxy from the environment: the dialer would then check the proxy's address, not the
		// configured one, and the proxy would happily connect to private addresses for us.
		Proxy:                  nil,
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  30 * time.Second, // the context deadline is usually shorter
		ExpectContinueTimeout:  time.Second,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    8, // jobs call the same few panels over and over
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: 64 << 10, // we read a status and a short body, never big headers
	}
	return &http.Client{
		Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// control is the dialer's hook, called for each address after resolution and before connecting.
func control(allowPrivate bool) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		if allowPrivate {
			return nil
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			// The dialer always passes a resolved ip:port; anything else is unexpected, and an
			// address we cannot read is one we cannot vouch for.
			return fmt.Errorf("outbound: refusing to connect to unparsable address %q: %w", address, err)
		}
		if IsPrivate(ap.Addr()) {
			return &RefusedError{Addr: ap.Addr().WithZone("").Unmap()}
		}
		return nil
	}
}

var (
	cgnat       = netip.MustParsePrefix("100.64.0.0/10") // RFC 6598 shared address space
	thisNetwork = netip.MustParsePrefix("0.0.0.0/8")     // RFC 1122 "this network"; Linux routes 0.0.0.0 to localhost
	nat64       = netip.MustParsePrefix("64:ff9b::/96")  // RFC 6052: an IPv4 address wrapped in IPv6
	broadcast   = netip.AddrFrom4([4]byte{255, 255, 255, 255})
)

// IsPrivate reports whether a is an address the server must not call on a user's behalf:
// loopback, private (RFC 1918, fc00::/7), link-local, unspecified, multicast, CGNAT (100.64/10),
// 0.0.0.0/8 and broadcast. IPv4 addresses written as IPv6 (::ffff:127.0.0.1, 64:ff9b::7f00:1) are
// judged by the IPv4 address inside.
func IsPrivate(a netip.Addr) bool {
	if !a.IsValid() {
		return true
	}
	a = a.WithZone("").Unmap()
	if nat64.Contains(a) {
		b := a.As16()
		a = netip.AddrFrom4([4]byte(b[12:]))
	}
	return a.IsLoopback() ||
		a.IsPrivate() ||
		a.IsLinkLocalUnicast() ||
		a.IsUnspecified() ||
		a.IsMulticast() || // includes interface- and link-local multicast
		cgnat.Contains(a) ||
		thisNetwork.Contains(a) ||
		a == broadcast
}
