// Package outbound builds the one HTTP client used for every outgoing call the server makes to an
// address a user configured (panels, webhooks, a provider's API).
//
// Such an address is attacker-controlled input: without a guard, an admin (or anyone who can set a
// panel or webhook URL) could make the server call services that only it can reach — a database's
// HTTP port, a cloud metadata endpoint, the admin UI on localhost. The client connects only to
// public addresses, as the special-purpose address table (addresses.csv, from IANA's registries)
// tells them apart, unless DISPUTED_WEBHOOK_ALLOW_PRIVATE opens more (Policy). The check runs in
// the dialer, on the address actually being connected to after DNS resolution, so a name that
// resolves to a public address when the URL is saved and to 127.0.0.1 later (DNS rebinding) is
// still refused.
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

// AllowPrivateEnv is the setting that opens non-public addresses (ParsePolicy), named in the
// refusal so that whoever reads the error knows how to allow a panel on their own network.
const AllowPrivateEnv = "DISPUTED_WEBHOOK_ALLOW_PRIVATE"

// ErrPrivateAddress is what a *RefusedError matches with errors.Is.
var ErrPrivateAddress = errors.New("outbound: private address")

// RefusedError reports a connection refused because its address is not public. It reaches the
// caller wrapped in *url.Error and *net.OpError; find it with errors.As or errors.Is
// (ErrPrivateAddress). Retrying does not help: the configuration must change.
type RefusedError struct {
	Addr  netip.Addr // the address dialled
	Reach Reach      // Internal or Closed
}

func (e *RefusedError) Error() string {
	if e.Reach == Closed {
		return fmt.Sprintf("outbound: refusing to connect to link-local or metadata address %s (name it in %s, e.g. %s, to allow)",
			e.Addr, AllowPrivateEnv, netip.PrefixFrom(e.Addr, e.Addr.BitLen()))
	}
	return fmt.Sprintf("outbound: refusing to connect to private address %s (set %s=1 to allow)", e.Addr, AllowPrivateEnv)
}

// Is lets errors.Is(err, ErrPrivateAddress) find a refusal without a type assertion.
func (e *RefusedError) Is(target error) bool { return target == ErrPrivateAddress }

// NewClient returns the client for user-configured addresses, calling the addresses p allows
// (besides public ones: a panel on the same host or LAN, tests against httptest servers).
//
// The client has no overall timeout: every caller passes a context with its own deadline (a panel
// call has the panel's configured timeout). It never follows redirects: a redirect is the remote
// end's answer, reported to the caller as it is; following it would also carry the signed body
// and idempotency key to an address nobody configured.
func NewClient(p Policy) *http.Client {
	dialer := &net.Dialer{
		Timeout:   10 * time.Second,
		KeepAlive: 30 * time.Second,
		Control:   control(p),
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
func control(p Policy) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			// The dialer always passes a resolved ip:port; anything else is unexpected, and an
			// address we cannot read is one we cannot vouch for.
			return fmt.Errorf("outbound: refusing to connect to unparsable address %q: %w", address, err)
		}
		if a := ap.Addr(); !p.Allows(a) {
			return &RefusedError{Addr: a.WithZone("").Unmap(), Reach: ReachOf(a)}
		}
		return nil
	}
}
