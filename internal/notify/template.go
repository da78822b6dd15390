// Package notify sends the emails that tell a merchant's customers what is happening to their
// order while it is disputed: which templates exist, how they render to a plain-text message, and
// an SMTP sender that reports whether a failed delivery is worth retrying.
//
// Everything a template may show arrives in Data. There is deliberately no field for internal
// notes: what is not in Data cannot leak into a customer's inbox.
package notify

import (
	"bytes"
	"embed"
	"fmt"
	"slices"
	"strings"
	"text/template"
	"time"
	"unicode"
	"unicode/utf8"

	"disputed/internal/fault"
)

// Template names one customer email.
type Template string

// The customer emails. The values are stable: they are stored with queued and sent mail.
const (
	// DisputeOpened tells the customer a dispute was opened; when the order has service lines it
	// says their service is suspended while the dispute is open.
	DisputeOpened     Template = "dispute_opened"
	ServiceRestored   Template = "service_restored"
	ServiceTerminated Template = "service_terminated"
	OrderVoided       Template = "order_voided"
	DisputeResolved   Template = "dispute_resolved"
	// EvidenceRequested asks the customer for information, by Data.DueBy when set.
	EvidenceRequested Template = "evidence_requested"
)

// Templates lists every template, in declaration order.
var Templates = []Template{
	DisputeOpened, ServiceRestored, ServiceTerminated, OrderVoided, DisputeResolved, EvidenceRequested,
}

// ParseTemplate returns the Template named s.
func ParseTemplate(s string) (Template, error) {
	t := Template(s)
	if !slices.Contains(Templates, t) {
		return "", fault.Invalidf(fault.CodeInvalidTemplate, "template", "unknown template %s; expected one of %s",
			quote(s), templateList())
	}
	return t, nil
}

func templateList() string {
	names := make([]string, len(Templates))
	for i, t := range Templates {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

// Data is everything a customer email may show. Strings are shown as given; empty ones are left
// out of the message.
type Data struct {
	MerchantName  string `json:"merchant_name,omitempty"` // "the merchant" when empty
	CustomerName  string `json:"customer_name,omitempty"`
	CustomerEmail string `json:"customer_email,omitempty"`

	OrderID    string   `json:"order_id"`              // required: every subject names the order
	OrderTotal string   `json:"order_total,omitempty"` // already formatted, e.g. "25.00 USD"
	Items      []string `json:"items,omitempty"`

	DisputeID         string `json:"dispute_id,omitempty"`
	DisputeType       string `json:"dispute_type,omitempty"`
	Reason            string `json:"reason,omitempty"`
	Resolution        string `json:"resolution,omitempty"`
	ExternalReference string `json:"external_reference,omitempty"` // the payment provider's reference, which the customer's bank shows

	Lines      int       `json:"lines,omitempty"` // service lines affected
	DueBy      time.Time `json:"due_by,omitzero"` // zero when there is no deadline
	VoidReason string    `json:"void_reason,omitempty"`
}

// Message is a rendered email.
type Message struct {
	Subject string // one line
	Text    string // plain-text body, lines ending in "\n"
}

// DateLayout is how dates appear in customer emails. It is spelled out (no numeric dates, which
// read differently in different countries) and always in UTC, because we do not know the
// customer's time zone and a stated zone is better than a guessed one.
const DateLayout = "2 January 2006 15:04 UTC"

// maxSubject bounds the subject in runes. Values come from merchants and payment providers; a
// huge order id must not produce a header line that mail servers refuse.
const maxSubject = 200

// Render renders template t of the current version with d.
func Render(t Template, d Data) (Message, error) { return RenderVersion(t, TemplateVersion, d) }

// RenderVersion renders template t of the version given with d: what an email written with
// that version said.
func RenderVersion(t Template, version int, d Data) (Message, error) {
	tmpl, err := check(t, version, d)
	if err != nil {
		return Message{}, err
	}
	return execute(tmpl, string(t), newView(d))
}

// check is template t of the version given, or why it and d cannot make an email: an unknown
// template, data naming no order (what the view would show of its id is empty).
func check(t Template, version int, d Data) (*template.Template, error) {
	tmpl, ok := parsed[versioned{version, t}]
	if !ok {
		return nil, fault.Invalidf(fault.CodeInvalidTemplate, "template", "unknown template %s of version %d", quote(string(t)), version)
	}
	if oneLine(d.OrderID) == "" {
		return nil, fault.Required("order_id")
	}
	return tmpl, nil
}

// execute renders a parsed template's subject and body into a message: the subject on one line,
// cut to what mail clients show, the body tidied.
func execute(tmpl *template.Template, name string, v any) (Message, error) {
	var subject, body bytes.Buffer
	if err := tmpl.ExecuteTemplate(&subject, "subject", v); err != nil {
		return Message{}, fmt.Errorf("notify: render %s subject: %w", name, err)
	}
	if err := tmpl.ExecuteTemplate(&body, "body", v); err != nil {
		return Message{}, fmt.Errorf("notify: render %s body: %w", name, err)
	}
	return Message{Subject: truncate(oneLine(subject.String()), maxSubject), Text: tidy(body.String())}, nil
}

// view is Data made safe to print: defaults applied, short values on one line, the date
// formatted. Templates see only this, so a template cannot reach around the cleaning.
type view struct {
	Merchant          string
	Signature         string // the merchant's name, or "" to leave the sign-off out
	CustomerName      string
	CustomerEmail     string
	OrderID           string
	OrderTotal        string
	Items             []string
	DisputeID         string
	DisputeType       string
	Reason            string
	Resolution        string
	ExternalReference string
	Lines             int
	DueBy             string
	VoidReason        string
}

func newView(d Data) view {
	v := view{
		Merchant:          oneLine(d.MerchantName),
		CustomerName:      oneLine(d.CustomerName),
		CustomerEmail:     oneLine(d.CustomerEmail),
		OrderID:           oneLine(d.OrderID),
		OrderTotal:        oneLine(d.OrderTotal),
		DisputeID:         oneLine(d.DisputeID),
		DisputeType:       oneLine(d.DisputeType),
		ExternalReference: oneLine(d.ExternalReference),
		// Free text stays one line too: a newline inside a reason could otherwise start what
		// looks like a paragraph of our own ("Please pay the balance at ...").
		Reason:     oneLine(d.Reason),
		Resolution: oneLine(d.Resolution),
		VoidReason: oneLine(d.VoidReason),
		Lines:      max(d.Lines, 0),
	}
	v.Signature = v.Merchant
	if v.Merchant == "" {
		v.Merchant = "the merchant"
	}
	for _, item := range d.Items {
		if item = oneLine(item); item != "" {
			v.Items = append(v.Items, item)
		}
	}
	if !d.DueBy.IsZero() {
		v.DueBy = d.DueBy.UTC().Format(DateLayout)
	}
	return v
}

// oneLine replaces line breaks and other control characters with spaces and collapses runs of
// white space, so that a value can neither break a header nor forge a line of the body.
func oneLine(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
	}), " ")
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-3])) + "..."
}

// tidy trims trailing spaces from every line, squeezes blank lines that optional sections leave
// behind to one, and ends the text with exactly one newline. Templates then need no whitespace
// trickery around {{if}}.
func tidy(s string) string {
	var b strings.Builder
	blank := true // drops leading blank lines
	for line := range strings.Lines(s) {
		line = strings.TrimRight(line, " \t\r\n")
		if line == "" {
			if !blank {
				b.WriteByte('\n')
			}
			blank = true
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
		blank = false
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// maxQuoted bounds how much of an unknown input an error repeats.
const maxQuoted = 64

func quote(s string) string {
	if len(s) > maxQuoted {
		return fmt.Sprintf("%q... (%d bytes)", s[:maxQuoted], len(s))
	}
	return fmt.Sprintf("%q", s)
}

// TemplateVersion is the version of the customer emails' templates this binary writes with.
// An email is stored as its template, this version and its data (Store), and rendered when it
// is read or sent, so every version ever shipped stays here (templates/vN) and reads as it did:
// testdata/golden/vN holds each template of each version rendered, and TestGoldenRenderings
// fails when one changes. A change to a template's text, or to how Data is shown (newView,
// tidy, the date's layout), is a new version: templates/vN+1, its goldens, this constant, and
// the view kept as it was for the versions before.
const TemplateVersion = 1

// versions are the template versions the binary holds, oldest first.
var versions = []int{1}

//go:embed templates/v*/*.tmpl
var templateFS embed.FS

var funcs = template.FuncMap{
	// lines says "1 service line" or "3 service lines".
	"lines": func(n int) string {
		if n == 1 {
			return "1 service line"
		}
		return fmt.Sprintf("%d service lines", n)
	},
}

// versioned names a template of one version.
type versioned struct {
	version  int
	template Template
}

// parsed holds one template set per Template and version: the version's shared blocks plus
// that template's "subject" and "body". Parsing at start-up turns a broken template into a
// failed test, not a failed send.
var parsed = func() map[versioned]*template.Template {
	m := make(map[versioned]*template.Template, len(versions)*len(Templates))
	for _, v := range versions {
		dir := fmt.Sprintf("templates/v%d/", v)
		for _, t := range Templates {
			m[versioned{v, t}] = template.Must(template.New(string(t)).Funcs(funcs).Option("missingkey=error").
				ParseFS(templateFS, dir+"common.tmpl", dir+string(t)+".tmpl"))
		}
	}
	return m
}()
