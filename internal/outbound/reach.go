package outbound

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"net/netip"
)

// Reach says who may open an address to the outbound client.
type Reach int

// The reaches, from the most open to the most closed; an address embedded in another is never
// judged more openly than where it leads.
const (
	// Public addresses are called like any other.
	Public Reach = iota
	// Internal addresses (private, loopback, reserved, documentation…) are opened by
	// DISPUTED_WEBHOOK_ALLOW_PRIVATE=1.
	Internal
	// Closed addresses (link-local, cloud metadata services) are opened only by naming their
	// prefix in DISPUTED_WEBHOOK_ALLOW_PRIVATE: a panel on the local network must not open the
	// machine's credentials to whoever configures a webhook.
	Closed
)

func (r Reach) String() string {
	switch r {
	case Public:
		return "public"
	case Internal:
		return "internal"
	case Closed:
		return "closed"
	}
	return fmt.Sprintf("Reach(%d)", int(r))
}

// addressesCSV is the special-purpose address table, with its sources and their date.
//
//go:embed addresses.csv
var addressesCSV []byte

// special is one row of the table.
type special struct {
	prefix netip.Prefix
	reach  Reach
	name   string
}

// table is addresses.csv, read once; a table that cannot be read stops the program at start.
var table = mustReadTable(addressesCSV)

// readTable reads the table: prefix, reach, source, name, each prefix once.
func readTable(data []byte) ([]special, error) {
	rd := csv.NewReader(bytes.NewReader(data))
	rd.Comment = '#'
	rd.FieldsPerRecord = 4
	rows, err := rd.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) < 2 || rows[0][0] != "prefix" {
		return nil, fmt.Errorf("the table has no rows under its header")
	}
	seen := map[netip.Prefix]bool{}
	out := make([]special, 0, len(rows)-1)
	for _, row := range rows[1:] {
		p, err := netip.ParsePrefix(row[0])
		if err != nil || p != p.Masked() || seen[p] {
			return nil, fmt.Errorf("prefix %q: not a canonical prefix, or listed twice", row[0])
		}
		seen[p] = true
		r, ok := map[string]Reach{"public": Public, "internal": Internal, "closed": Closed}[row[1]]
		if !ok {
			return nil, fmt.Errorf("prefix %s: reach %q is not public, internal or closed", row[0], row[1])
		}
		out = append(out, special{prefix: p, reach: r, name: row[3]})
	}
	return out, nil
}

func mustReadTable(data []byte) []special {
	t, err := readTable(data)
	if err != nil {
		panic("outbound: addresses.csv: " + err.Error())
	}
	return t
}

// ReachOf says who may open a: its row in the table (the most specific one; public when none),
// and, for an IPv6 address that carries an IPv4 one, never less closed than that IPv4 address.
// An IPv4-mapped address is that IPv4 address.
func ReachOf(a netip.Addr) Reach {
	if !a.IsValid() {
		return Closed
	}
	a = a.WithZone("").Unmap()
	r := rowReach(a)
	for _, inner := range embeddedIPv4(a) {
		r = max(r, rowReach(inner))
	}
	return r
}

// rowReach is the reach of the most specific row holding a, public when none does.
func rowReach(a netip.Addr) Reach {
	best, bits := Public, -1
	for _, s := range table {
		if s.prefix.Bits() > bits && s.prefix.Contains(a) {
			best, bits = s.reach, s.prefix.Bits()
		}
	}
	return best
}
