// Package reasoncode is the catalogue of dispute reason codes of the card networks (Visa,
// Mastercard, American Express, Discover) and of the providers that have their own (PayPal's
// dispute reasons, Stripe's dispute.reason): for each code its family, Stripe's evidence bucket,
// how winnable it is and the evidence fields that win it.
//
// The catalogue is data, not code: networks add, retire and rename codes, so it ships as one
// versioned file, catalogue.json, embedded in the binary. Editing the file (and its version) is
// the whole change; the package's tests check every entry against the evidence fields the server
// accepts and against the research it came from. Nothing here does I/O beyond reading the embed.
package reasoncode

import (
	_ "embed"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"sync"
)

//go:embed catalogue.json
var catalogueJSON []byte

// Category is the family a network files a code under, made common across networks so that
// codes can be counted and routed together (Visa's 10-13 groups, Amex's letter prefixes...).
type Category string

// The six categories.
const (
	Fraud           Category = "fraud"            // the cardholder says they did not make the payment
	Authorization   Category = "authorization"    // the payment lacked a valid authorization
	ProcessingError Category = "processing_error" // amount, currency, date, duplicate, data errors
	ConsumerDispute Category = "consumer_dispute" // not received, not as described, cancelled, credit due
	Request         Category = "request"          // retrievals, inquiries, miscellaneous: not yet a chargeback
	Compliance      Category = "compliance"       // rule violations and network chargeback programs
)

// Valid tells whether c is one of the six categories.
func (c Category) Valid() bool {
	switch c {
	case Fraud, Authorization, ProcessingError, ConsumerDispute, Request, Compliance:
		return true
	}
	return false
}

// Entry is one reason code of one network.
type Entry struct {
	Network string `json:"network"` // visa, mastercard, amex, discover, paypal, stripe
	Code    string `json:"code"`    // as the network writes it: "10.4", "4853", "C08", "UA02", "fraudulent"
	Name    string `json:"name"`
	// Category is the network's family; EvidenceCategory is Stripe's bucket for the code
	// (credit_not_processed, duplicate, fraudulent, general, product_not_received,
	// product_unacceptable, subscription_canceled, unrecognized, noncompliant), which decides the
	// evidence Stripe's guidance asks for. They differ on purpose: Mastercard 4853 is a consumer
	// dispute that Stripe files as product_unacceptable whatever its sub-reason.
	Category         Category `json:"category"`
	EvidenceCategory string   `json:"evidence_category"`
	// ResponseDays is the network's clock, a fallback only: the provider's due date always wins,
	// and the merchant usually gets less. 0 (Stripe's reasons) means only the provider's date.
	ResponseDays int `json:"response_days"`
	// Winnable is no (no recourse), procedural (only a procedural fact wins), hard (fraud without
	// a liability shift) or yes (routinely won with documents).
	Winnable string `json:"winnable"`
	// Evidence are the Stripe evidence field names that win the code (dispute.EvidenceFields);
	// EvidenceWords says in a sentence or two what wins it, including what has no field.
	Evidence      []string `json:"evidence"`
	EvidenceWords string   `json:"evidence_words"`
	Sources       []string `json:"sources"` // tags of the file's sources
	Aliases       []string `json:"aliases"` // other codes for the same reason (Discover's numeric codes)
}

// Network is a network or provider of the catalogue.
type Network struct {
	Network      string `json:"network"`
	Name         string `json:"name"`
	ResponseDays int    `json:"response_days"` // the network's clock; 0: only the provider's due date
}

// file is catalogue.json as written.
type file struct {
	Version  string            `json:"version"`
	About    string            `json:"about"`
	Sources  map[string]string `json:"sources"`
	Networks []networkRecord   `json:"networks"`
	Codes    []Entry           `json:"codes"`
}

type networkRecord struct {
	Network
	Sources []string `json:"sources"`
}

// catalogue is the parsed file with its lookup indexes.
type catalogue struct {
	file
	// byCode maps a normalized code or alias to the indexes of its entries in the networks' order
	// (then the file's), so that the first is the answer for "any network".
	byCode map[string][]int
	// discoverLetters and discoverNumbers are the shapes NetworkOf recognizes as Discover's: its
	// letter codes are too short and varied for a pattern, and its numeric codes overlap
	// Mastercard's, so the catalogue itself says which they are.
	discoverLetters map[string]bool
	discoverNumbers map[string]bool
	stripeReasons   map[string]bool
}

// load parses the embedded file once. The file is part of the binary, so a file that does not
// parse is a build that must not run: it panics. Everything else about the file is checked by the
// tests, so that a bad edit fails CI instead of a server at start.
var load = sync.OnceValue(func() *catalogue {
	var c catalogue
	if err := json.Unmarshal(catalogueJSON, &c.file); err != nil {
		panic("reasoncode: the embedded catalogue.json does not parse: " + err.Error())
	}
	c.byCode = map[string][]int{}
	c.discoverLetters = map[string]bool{}
	c.discoverNumbers = map[string]bool{}
	c.stripeReasons = map[string]bool{}
	for _, n := range c.Networks {
		for i, e := range c.Codes {
			if e.Network != n.Network.Network {
				continue
			}
			for _, code := range append([]string{e.Code}, e.Aliases...) {
				k := normalize(code)
				c.byCode[k] = append(c.byCode[k], i)
				switch {
				case e.Network == "discover" && isDigits(k):
					c.discoverNumbers[k] = true
				case e.Network == "discover":
					c.discoverLetters[k] = true
				case e.Network == "stripe":
					c.stripeReasons[code] = true
				}
			}
		}
	}
	return &c
})

func normalize(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// Version is the catalogue's version, the date of the research it was written from.
func Version() string { return load().Version }

// Networks are the catalogue's networks in its order: card networks, then providers.
func Networks() []Network {
	c := load()
	out := make([]Network, len(c.Networks))
	for i, n := range c.Networks {
		out[i] = n.Network
	}
	return out
}

// Lookup finds a code of a network by its code or an alias ("4755" finds Discover's RG). The code
// is trimmed and matched case-insensitively, as codes arrive from feeds and forms in any case.
// network "" means any network: the first match in the catalogue's network order (so "4863" is
// Mastercard's, not Discover's AT).
func Lookup(network, code string) (Entry, bool) {
	c := load()
	network = strings.ToLower(strings.TrimSpace(network))
	for _, i := range c.byCode[normalize(code)] {
		if network == "" || c.Codes[i].Network == network {
			return clone(c.Codes[i]), true
		}
	}
	return Entry{}, false
}

// List is the entries of a network ("" for all) in a category ("" for all), in the file's order.
func List(network string, category Category) []Entry {
	c := load()
	network = strings.ToLower(strings.TrimSpace(network))
	var out []Entry
	for _, e := range c.Codes {
		if (network == "" || e.Network == network) && (category == "" || e.Category == category) {
			out = append(out, clone(e))
		}
	}
	return out
}

// clone copies an entry's lists, so that a caller that edits them cannot change the catalogue
// every other caller reads.
func clone(e Entry) Entry {
	e.Evidence = slices.Clone(e.Evidence)
	e.Sources = slices.Clone(e.Sources)
	e.Aliases = slices.Clone(e.Aliases)
	return e
}

var (
	visaShape       = regexp.MustCompile(`^[0-9]{2}\.[0-9]{1,2}(\.[0-9])?$`) // 10.4, 12.6.1
	visaCaseShape   = regexp.MustCompile(`^C[0-9]{3,4}$`)                    // compliance cases C028...C0135
	mastercardShape = regexp.MustCompile(`^(48|49|63)[0-9]{2}$`)             // 4853, 4901, 6341
	amexShape       = regexp.MustCompile(`^([ACFMPR][0-9]{2}|FR[0-9])$`)     // C08, F29, FR2
	paypalShape     = regexp.MustCompile(`^[A-Z]{2,}(_[A-Z]+)*$`)            // MERCHANDISE_OR_SERVICE_NOT_RECEIVED, OTHER
)

// NetworkOf is the network a code's shape says, or "" when it says none: a feed or a form that
// gives a code without its network can still be routed. "10.4", "12.6.1" and the compliance cases
// "C028" are Visa's; 48xx, 49xx and 63xx Mastercard's; a letter A, C, F, M, P or R with two digits,
// or FR and a digit, Amex's; the catalogue's Discover codes (AA, RG, UA02..., and its numeric ones
// that no other shape claims) Discover's; an UPPER_SNAKE word of five letters or more PayPal's; a
// Stripe reason, as Stripe writes it (lower case), Stripe's.
// A number two networks use (4863 is Mastercard's and Discover's) and short bare numbers (Visa's
// retrieval "30", Amex's legacy "004") say none.
func NetworkOf(code string) string {
	c := load()
	code = strings.TrimSpace(code)
	if c.stripeReasons[code] {
		return "stripe"
	}
	k := strings.ToUpper(code)
	switch {
	case visaShape.MatchString(k), visaCaseShape.MatchString(k):
		return "visa"
	case mastercardShape.MatchString(k):
		if c.discoverNumbers[k] {
			return ""
		}
		return "mastercard"
	case c.discoverNumbers[k], c.discoverLetters[k]:
		return "discover"
	case amexShape.MatchString(k):
		return "amex"
	case paypalShape.MatchString(code) && len(code) >= 5:
		// At least five letters: a shorter upper-case word is more likely a letter code of a
		// network than a PayPal reason (the shortest is OTHER).
		return "paypal"
	}
	return ""
}
