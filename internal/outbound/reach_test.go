package outbound

import (
	"bytes"
	"encoding/csv"
	"net/netip"
	"testing"
)

// TestSecurityPrivateAddressTable: every special-purpose range is refused by default, the ones a
// hostile visitor got through included (IPv4-compatible ::7f00:1, 6to4, Teredo, both NAT64
// prefixes, benchmarking, 240/4, site-local), and IPv4 addresses written as IPv6 are judged by
// the address inside; public addresses, and IANA's globally reachable blocks inside special
// ones, are called.
func TestSecurityPrivateAddressTable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr string
		want Reach
	}{
		// what got through before
		{"::7f00:1", Internal},            // IPv4-compatible 127.0.0.1
		{"2002:7f00:1::1", Internal},      // 6to4 of 127.0.0.1
		{"2002:808:808::1", Internal},     // 6to4 of a public address: 6to4 itself is not public
		{"2001:0:4136:e378::1", Internal}, // Teredo
		{"64:ff9b::7f00:1", Internal},     // NAT64 of 127.0.0.1
		{"64:ff9b:1::a00:1", Closed},      // local-use NAT64: where it leads cannot be read
		{"198.18.0.1", Internal},
		{"198.19.255.255", Internal},
		{"240.0.0.1", Internal},
		{"255.255.255.254", Internal},
		{"fec0::1", Internal},
		{"::ffff:198.18.0.1", Internal},
		{"::ffff:240.0.0.1", Internal},
		// link-local and metadata, embedded ones included
		{"169.254.169.254", Closed},
		{"169.254.170.2", Closed},
		{"::ffff:169.254.169.254", Closed},
		{"64:ff9b::a9fe:a9fe", Closed},
		{"::a9fe:a9fe", Closed},
		{"2002:a9fe:a9fe::", Closed},
		{"2001:0:a9fe:a9fe::", Closed},                   // Teredo server 169.254.169.254
		{"2001:0:4136:e378:8000:63bf:5601:5601", Closed}, // Teredo client ^a9fe:a9fe
		{"fe80::1", Closed},
		{"fe80::1%eth0", Closed},
		{"fd00:ec2::254", Closed},
		{"fd20:ce::254", Closed},
		{"100.100.100.200", Closed},
		{"192.0.0.192", Closed},
		// the ranges refused before
		{"127.0.0.1", Internal},
		{"127.255.0.9", Internal},
		{"::1", Internal},
		{"10.1.2.3", Internal},
		{"172.16.0.1", Internal},
		{"172.31.255.255", Internal},
		{"192.168.1.1", Internal},
		{"fc00::1", Internal},
		{"fd12:3456::1", Internal},
		{"0.0.0.0", Internal},
		{"0.1.2.3", Internal},
		{"::", Internal},
		{"224.0.0.1", Internal},
		{"239.1.1.1", Internal},
		{"ff02::1", Internal},
		{"ff0e::1", Internal},
		{"100.64.0.1", Internal},
		{"100.127.255.255", Internal},
		{"255.255.255.255", Internal},
		{"::ffff:127.0.0.1", Internal},
		{"::ffff:10.0.0.1", Internal},
		{"64:ff9b::a00:1", Internal},
		// the rest of the registries
		{"192.0.0.8", Internal},
		{"192.0.0.170", Internal},
		{"192.0.2.1", Internal},
		{"192.88.99.2", Internal},
		{"198.51.100.7", Internal},
		{"203.0.113.7", Internal},
		{"100::1", Internal},
		{"2001:2::1", Internal},
		{"2001:db8::1", Internal},
		{"3fff::1", Internal},
		{"5f00::1", Internal},
		{"4000::1", Internal}, // outside 2000::/3, the only global unicast block
		// public
		{"8.8.8.8", Public},
		{"1.1.1.1", Public},
		{"172.15.255.255", Public},
		{"172.32.0.1", Public},
		{"100.63.255.255", Public},
		{"100.128.0.1", Public},
		{"192.169.0.1", Public},
		{"198.20.0.1", Public},
		{"223.255.255.255", Public},
		{"192.0.0.9", Public}, // PCP anycast, public inside 192.0.0.0/24
		{"2001:4:112::1", Public},
		{"2606:4700:4700::1111", Public},
		{"::ffff:8.8.8.8", Public},
		{"64:ff9b::808:808", Public}, // NAT64 of 8.8.8.8
	}
	for _, tt := range tests {
		a := netip.MustParseAddr(tt.addr)
		if got := ReachOf(a); got != tt.want {
			t.Errorf("ReachOf(%s) = %v, want %v", tt.addr, got, tt.want)
		}
		if got := (Policy{}).Allows(a); got != (tt.want == Public) {
			t.Errorf("the default policy allows %s: %v", tt.addr, got)
		}
	}
	if ReachOf(netip.Addr{}) != Closed {
		t.Error("an address we cannot read is not closed")
	}
}

// TestTableIsWhole: the table holds every block of IANA's two special-purpose registries (26
// for IPv4, the NAT64/DNS64 pair on two rows; 25 for IPv6), and reads cleanly.
func TestTableIsWhole(t *testing.T) {
	t.Parallel()
	rd := csv.NewReader(bytes.NewReader(addressesCSV))
	rd.Comment = '#'
	rows, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, row := range rows[1:] {
		count[row[2]]++
	}
	if count["iana-ipv4-special"] != 26 || count["iana-ipv6-special"] != 25 {
		t.Errorf("rows per source: %v", count)
	}
	for _, bad := range []string{
		"prefix,reach,source,name\n10.0.0.1/8,internal,x,y\n",
		"prefix,reach,source,name\n10.0.0.0/8,internal,x,y\n10.0.0.0/8,public,x,y\n",
		"prefix,reach,source,name\n10.0.0.0/8,open,x,y\n",
		"prefix,reach,source,name\n",
	} {
		if _, err := readTable([]byte(bad)); err == nil {
			t.Errorf("readTable accepted %q", bad)
		}
	}
}

// FuzzReach: writing an IPv4 address as IPv6 (mapped, compatible, NAT64, 6to4, Teredo) never
// makes it more open, an IPv6 address is never more open than the IPv4 address it leads to, and
// no policy but one naming it opens a closed address.
func FuzzReach(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "169.254.169.254", "8.8.8.8", "::7f00:1", "2002:7f00:1::1",
		"2001:0:4136:e378:8000:63bf:5601:5601", "64:ff9b::a9fe:a9fe", "fe80::1%eth0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return
		}
		r := ReachOf(a)
		if r < Public || r > Closed {
			t.Fatalf("ReachOf(%s) = %v", a, r)
		}
		if a.Is4() {
			b := a.As4()
			forms := map[string]netip.Addr{
				"mapped":     netip.AddrFrom16([16]byte{10: 0xff, 11: 0xff, 12: b[0], 13: b[1], 14: b[2], 15: b[3]}),
				"compatible": netip.AddrFrom16([16]byte{12: b[0], 13: b[1], 14: b[2], 15: b[3]}),
				"nat64":      netip.AddrFrom16([16]byte{0: 0, 1: 0x64, 2: 0xff, 3: 0x9b, 12: b[0], 13: b[1], 14: b[2], 15: b[3]}),
				"6to4":       netip.AddrFrom16([16]byte{0: 0x20, 1: 0x02, 2: b[0], 3: b[1], 4: b[2], 5: b[3]}),
				"teredo":     netip.AddrFrom16([16]byte{0: 0x20, 1: 0x01, 12: ^b[0], 13: ^b[1], 14: ^b[2], 15: ^b[3]}),
			}
			for name, v6 := range forms {
				if got := ReachOf(v6); got < r {
					t.Errorf("%s %s of %s is %v, more open than %v", name, v6, a, got, r)
				}
			}
			if got := ReachOf(forms["mapped"]); got != r {
				t.Errorf("mapped %s is %v, %s is %v", forms["mapped"], got, a, r)
			}
		}
		for _, inner := range embeddedIPv4(a.WithZone("").Unmap()) {
			if ReachOf(inner) > r {
				t.Errorf("%s is %v but leads to %s, %v", a, r, inner, ReachOf(inner))
			}
		}
		if (Policy{}).Allows(a) != (r == Public) || (r == Closed && AllowInternal.Allows(a)) {
			t.Errorf("%s (%v): the default policy allows it %v, =1 allows it %v", a, r, (Policy{}).Allows(a), AllowInternal.Allows(a))
		}
	})
}
