package outbound

import (
	"fmt"
	"net/netip"
	"strings"
)

// Policy says which non-public addresses the outbound client may call, as
// DISPUTED_WEBHOOK_ALLOW_PRIVATE sets it. The zero Policy calls public addresses only.
type Policy struct {
	internal bool           // internal addresses are opened
	named    []netip.Prefix // these are opened, whatever their reach
}

// AllowInternal opens the internal addresses (private, loopback…) but not the closed ones
// (link-local, metadata): DISPUTED_WEBHOOK_ALLOW_PRIVATE=1, for development and tests.
var AllowInternal = Policy{internal: true}

// ParsePolicy reads DISPUTED_WEBHOOK_ALLOW_PRIVATE: empty or 0 calls public addresses only; 1
// opens the internal ones; a comma-separated list of prefixes (10.0.0.0/8, fd00:ec2::254/128)
// opens exactly those, closed ones included.
func ParsePolicy(v string) (Policy, error) {
	switch strings.TrimSpace(v) {
	case "", "0":
		return Policy{}, nil
	case "1":
		return AllowInternal, nil
	}
	var p Policy
	for item := range strings.SplitSeq(v, ",") {
		prefix, err := netip.ParsePrefix(strings.TrimSpace(item))
		if err != nil {
			return Policy{}, fmt.Errorf("%s: %q is neither 1 nor a list of prefixes such as 10.0.0.0/8,169.254.169.254/32", AllowPrivateEnv, item)
		}
		p.named = append(p.named, prefix.Masked())
	}
	return p, nil
}

// Allows reports whether the client may connect to a.
func (p Policy) Allows(a netip.Addr) bool {
	a = a.WithZone("").Unmap()
	for _, n := range p.named {
		if n.Contains(a) {
			return true
		}
	}
	switch ReachOf(a) {
	case Public:
		return true
	case Internal:
		return p.internal
	}
	return false
}
