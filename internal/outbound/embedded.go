package outbound

import "net/netip"

// The IPv6 forms that carry an IPv4 address at a fixed place. IPv4-mapped addresses
// (::ffff:0:0/96) are not among them: they are unmapped before anything else, since the socket
// connects to the IPv4 address itself.
var (
	ipv4Compatible = netip.MustParsePrefix("::/96")        // RFC 4291, deprecated: ::a.b.c.d
	nat64          = netip.MustParsePrefix("64:ff9b::/96") // RFC 6052: the translator connects to the last 32 bits
	sixToFour      = netip.MustParsePrefix("2002::/16")    // RFC 3056: 2002:aabb:ccdd::/48 tunnels to a.b.c.d
	teredo         = netip.MustParsePrefix("2001::/32")    // RFC 4380: server in bits 32–63, client inverted in the last 32
)

// embeddedIPv4 returns the IPv4 addresses an IPv6 address leads to through a translator or a
// tunnel: where a connection to it may end up.
func embeddedIPv4(a netip.Addr) []netip.Addr {
	if !a.Is6() {
		return nil
	}
	b := a.As16()
	last := netip.AddrFrom4([4]byte(b[12:16]))
	switch {
	case ipv4Compatible.Contains(a), nat64.Contains(a):
		return []netip.Addr{last}
	case sixToFour.Contains(a):
		return []netip.Addr{netip.AddrFrom4([4]byte(b[2:6]))}
	case teredo.Contains(a):
		return []netip.Addr{netip.AddrFrom4([4]byte(b[4:8])), netip.AddrFrom4([4]byte{^b[12], ^b[13], ^b[14], ^b[15]})}
	}
	return nil
}
