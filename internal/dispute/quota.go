package dispute

import "disputed/internal/fault"

// EvidenceLimits cap the evidence items one dispute may hold, for each party that adds them (the
// buyer, the vendor, the merchant's staff) and for the three together, in items and in bytes.
// Without them a party's key could fill the database (30 files of 10 MiB in 19 s) and make the
// dispute's pages as large as it likes.
type EvidenceLimits struct {
	PartyItems int64 // items each party may add
	PartyBytes int64 // bytes each party may add (see EvidenceItem.Bytes)
	TotalItems int64 // items of all parties together
	TotalBytes int64 // bytes of all parties together
}

// DefaultEvidenceLimits apply until the merchant sets others. A real case needs far fewer than
// 50 items a side (a card network takes a few pages; a marketplace case a dozen screenshots and
// messages), and 50 MiB is five of the largest files a party may upload. The total, 150 items and
// 100 MiB, bounds the buyer's and the vendor's together; the merchant's staff may always add up
// to their own allowance (so a dispute holds at most 150 MiB).
var DefaultEvidenceLimits = EvidenceLimits{PartyItems: 50, PartyBytes: 50 << 20, TotalItems: 150, TotalBytes: 100 << 20}

// The highest limits a merchant may set: far above any real case, low enough that a dispute stays
// something a page and a database hold.
const (
	maxLimitItems = 10000
	maxLimitBytes = 1 << 30
)

// Validate checks limits a merchant sets: each at least 1 and at most its ceiling, and a party's
// no larger than the total. An error names the field as the settings name it.
func (l EvidenceLimits) Validate() error {
	for _, f := range []struct {
		name       string
		value, max int64
	}{{"party_items", l.PartyItems, maxLimitItems}, {"party_bytes", l.PartyBytes, maxLimitBytes},
		{"total_items", l.TotalItems, maxLimitItems}, {"total_bytes", l.TotalBytes, maxLimitBytes}} {
		if f.value < 1 || f.value > f.max {
			return fault.Invalidf(fault.CodeInvalidValue, "evidence_limits."+f.name, "evidence_limits.%s must be between 1 and %d", f.name, f.max)
		}
	}
	if l.PartyItems > l.TotalItems {
		return fault.Invalidf(fault.CodeInvalidValue, "evidence_limits.party_items", "a party's items (%d) cannot exceed the total (%d)", l.PartyItems, l.TotalItems)
	}
	if l.PartyBytes > l.TotalBytes {
		return fault.Invalidf(fault.CodeInvalidValue, "evidence_limits.party_bytes", "a party's bytes (%d) cannot exceed the total (%d)", l.PartyBytes, l.TotalBytes)
	}
	return nil
}

// EvidenceUse is how much evidence is held: items and bytes.
type EvidenceUse struct {
	Items int64
	Bytes int64
}

// EvidenceUsage is a dispute's evidence per party that added it: Buyer, Vendor, and "" for the
// merchant's staff.
type EvidenceUsage map[Party]EvidenceUse

// Bytes is what an item weighs against the limits: its file and its text, as stored.
func (it EvidenceItem) Bytes() int64 {
	return it.Size + int64(len(it.Content)) + int64(len(it.Description))
}

// Admit decides whether the item fits the dispute's evidence, used so far: the one place the
// evidence limits are applied. It refuses with 422 evidence_limit_reached, naming the limit (as
// the settings name it) and the figures.
func (l EvidenceLimits) Admit(used EvidenceUsage, it EvidenceItem) error {
	var total EvidenceUse
	for _, u := range used {
		total.Items += u.Items
		total.Bytes += u.Bytes
	}
	// The total bounds what the buyer and the vendor may bring in; the merchant's staff, who
	// decide the case, are held only by their own allowance, so that two parties who filled the
	// total cannot keep the mediator from adding evidence.
	mine, who, outside := used[it.Party], partyName(it.Party), it.Party != ""
	switch {
	case mine.Items+1 > l.PartyItems:
		return limitReached("party_items", "%s has added %d evidence items; a party may add %d to a dispute", who, mine.Items, l.PartyItems)
	case outside && total.Items+1 > l.TotalItems:
		return limitReached("total_items", "the dispute holds %d evidence items; it may hold %d", total.Items, l.TotalItems)
	case mine.Bytes+it.Bytes() > l.PartyBytes:
		return limitReached("party_bytes", "this item (%d bytes) would bring the evidence %s added to %d bytes; a party may add %d",
			it.Bytes(), who, mine.Bytes+it.Bytes(), l.PartyBytes)
	case outside && total.Bytes+it.Bytes() > l.TotalBytes:
		return limitReached("total_bytes", "this item (%d bytes) would bring the dispute's evidence to %d bytes; it may hold %d",
			it.Bytes(), total.Bytes+it.Bytes(), l.TotalBytes)
	}
	return nil
}

func limitReached(limit, format string, args ...any) error {
	return fault.Invalidf(fault.CodeEvidenceLimitReached, "evidence_limits."+limit, format, args...)
}

func partyName(p Party) string {
	if p == "" {
		return "the merchant's staff"
	}
	return "the " + string(p)
}
