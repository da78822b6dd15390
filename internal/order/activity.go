package order

import (
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"disputed/internal/fault"
)

// Activity is one thing the customer did with a line's service: signed in, streamed, downloaded,
// called its API. Issuers decide "fraudulent" and "not received" disputes over digital services
// on this access log (what was used, when, from where, after the purchase).
type Activity struct {
	ID        string
	LineID    string
	OrderID   string
	Kind      string
	IP        string // canonical form, empty when not known
	At        time.Time
	Detail    string
	Source    ActivitySource
	CreatedAt time.Time
}

// ActivitySource is who reported an entry.
type ActivitySource string

// Sources: the merchant's system through the API, or the line's panel when a dispute opened.
const (
	FromAPI   ActivitySource = "api"
	FromPanel ActivitySource = "panel"
)

// ActivityReport is an entry as the merchant's system or a panel reports it, before it is checked.
type ActivityReport struct {
	Kind   string
	IP     string
	At     time.Time
	Detail string
}

// Bounds on a line's activity.
const (
	// MaxActivityPerLine bounds the entries kept for one line: an access log of a few thousand
	// events is far more than an issuer reads, and the bound keeps one line from filling the
	// database.
	MaxActivityPerLine = 10_000
	// MaxActivityBatch is how many entries one API request may carry (a panel's answer has its
	// own bound, panel.MaxActivityEntries).
	MaxActivityBatch = 100
	// MaxActivityDetail is the longest detail, in characters.
	MaxActivityDetail = 1000
	// ActivitySkew is how far in the future an entry may be dated: the reporting system's clock
	// may run a little ahead of ours.
	ActivitySkew = 5 * time.Minute
	maxKind      = 40
)

// activityLabels are the documented kinds, in the words the UI and the evidence show them with.
// Any other kind of the same shape is kept as given.
var activityLabels = map[string]string{
	"sign_in":            "Signed in",
	"stream":             "Streamed",
	"download":           "Downloaded",
	"api_call":           "Called the API",
	"usage":              "Used the service",
	"purchase_confirmed": "Confirmed the purchase",
	"page_view":          "Viewed a page",
	"settings_changed":   "Changed a setting",
	"support_contact":    "Contacted support",
}

// ActivityLabel is the human words for kind: the documented label, or the kind itself with spaces
// for underscores.
func ActivityLabel(kind string) string {
	if l, ok := activityLabels[kind]; ok {
		return l
	}
	s := strings.ReplaceAll(kind, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// NewActivity checks r, reported about line l at now, and returns the entry to keep. Errors name
// the field under prefix (empty for a single entry, "data[3]." in a batch). An entry may be dated
// before the line's order: orders can be recorded after the fact, and the customer's use of the
// account before the purchase is evidence too. It may not be dated in the future (beyond
// ActivitySkew).
func NewActivity(l Line, r ActivityReport, src ActivitySource, id string, now time.Time, prefix string) (Activity, error) {
	kind := r.Kind
	if kind == "" {
		return Activity{}, fault.Required(prefix + "kind")
	}
	if !validKind(kind) {
		return Activity{}, fault.Invalidf(fault.CodeInvalidValue, prefix+"kind",
			"kind must be 1 to %d of a-z, 0-9 and _, starting with a letter (sign_in, stream, download, …)", maxKind)
	}
	ip := ""
	if r.IP != "" {
		a, err := netip.ParseAddr(r.IP)
		if err != nil || a.Zone() != "" {
			return Activity{}, fault.Invalidf(fault.CodeInvalidValue, prefix+"ip", "ip must be an IPv4 or IPv6 address")
		}
		ip = a.Unmap().String()
	}
	if r.At.IsZero() {
		return Activity{}, fault.Required(prefix + "at")
	}
	at := r.At.UTC().Truncate(time.Millisecond) // entries are kept, and compared, to the millisecond
	if at.After(now.Add(ActivitySkew)) {
		return Activity{}, fault.Invalidf(fault.CodeInvalidValue, prefix+"at", "at is in the future")
	}
	if !utf8.ValidString(r.Detail) || strings.ContainsRune(r.Detail, 0) {
		return Activity{}, fault.Invalidf(fault.CodeInvalidValue, prefix+"detail", "detail must be UTF-8 text without NUL characters")
	}
	if utf8.RuneCountInString(r.Detail) > MaxActivityDetail {
		return Activity{}, fault.Invalidf(fault.CodeInvalidValue, prefix+"detail", "detail is longer than %d characters", MaxActivityDetail)
	}
	return Activity{ID: id, LineID: l.ID, OrderID: l.OrderID, Kind: kind, IP: ip, At: at, Detail: r.Detail,
		Source: src, CreatedAt: now}, nil
}

func validKind(k string) bool {
	if len(k) > maxKind || k[0] < 'a' || k[0] > 'z' {
		return false
	}
	for _, c := range k {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// Key is what makes two entries of a line the same: kind, time, address and detail. A panel
// reports a line's whole log again on every dispute; the same entry is kept once, whoever
// reported it.
func (a Activity) Key() string {
	h := sha256.New()
	for _, part := range []string{a.Kind, strconv.FormatInt(a.At.UnixMilli(), 10), a.IP, a.Detail} {
		h.Write([]byte(part))
		h.Write([]byte{0}) // no part holds a NUL: the parts cannot run into each other
	}
	return hex.EncodeToString(h.Sum(nil))
}

// CheckActivityRoom refuses adding n new entries to a line that holds count.
func CheckActivityRoom(count, n int) error {
	if count+n > MaxActivityPerLine {
		return fault.Invalidf(fault.CodeActivityLimitReached, "line",
			"a line keeps at most %d activity entries; this one has %d", MaxActivityPerLine, count)
	}
	return nil
}
