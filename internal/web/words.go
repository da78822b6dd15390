package web

import (
	"strings"
	"unicode"

	"disputed/internal/dispute"
	"disputed/internal/reasoncode"
)

// Plain words for the machine values the pages show: dispute reasons, network reason codes (from
// the reason-code catalogue), statuses and timeline actions. The API keeps the codes; people read these.

// reasonWords is a dispute's reason in words: a known code by its name, another code
// (lower-case words joined by _) as words, and a reason typed by a person as it was typed.
func reasonWords(reason string) string {
	if n, ok := reasonLabels[reason]; ok {
		return n
	}
	if isCode(reason) {
		return capitalize(humanize(reason))
	}
	return reason
}

// reasonCodeWords is what the reason-code catalogue says of a dispute's reason: its network
// reason code with the network's name and the code's ("Visa 10.4 · Other Fraud – Card-Absent"),
// or the code as given with unknown set when the catalogue lacks it ("" without a code), and the
// family of its reason in words ("Fraud"; "" when the catalogue cannot tell).
func reasonCodeWords(d dispute.Dispute) (code, family string, unknown bool) {
	c := reasoncode.Classify(d.NetworkHint(), d.NetworkReasonCode, d.Reason)
	if c.Category != "" {
		family = capitalize(humanize(string(c.Category)))
	}
	if c.Entry == nil {
		return strings.TrimSpace(d.NetworkReasonCode), family, c.Unknown
	}
	for _, n := range reasoncode.Networks() {
		if n.Network == c.Entry.Network {
			return n.Name + " " + c.Entry.Code + " · " + c.Entry.Name, family, false
		}
	}
	return c.Entry.Code + " · " + c.Entry.Name, family, false
}

// isCode reports whether s is a machine value: lower-case letters, digits and _.
func isCode(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_')
	}) < 0
}

// capitalize upper-cases the first letter.
func capitalize(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}
