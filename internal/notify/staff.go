package notify

import (
	"embed"
	"fmt"
	"strings"
	"text/template"
	"time"
)

// StaffTemplate names an email to the merchant's own admins about something they must act on.
// These never go to a customer, and the merchant cannot switch them off.
type StaffTemplate string

// The staff emails. The values are stable: they are stored with queued and sent mail.
const (
	// SubmissionFailed says that an answer to a provider's dispute (evidence or a concession)
	// failed for good to reach the provider.
	SubmissionFailed StaffTemplate = "submission_failed"
	// RuleMatched is a notify rule's word that a dispute matched it.
	RuleMatched StaffTemplate = "rule_matched"
	// RatioCrossed is the word that a dispute ratio crossed into approaching or excessive.
	RatioCrossed StaffTemplate = "ratio_crossed"
)

// StaffData is what a staff email may show.
type StaffData struct {
	MerchantName string
	DisputeID    string
	OrderID      string
	Amount       string // already formatted, e.g. "25.00 USD"
	Provider     string
	Kind         string // evidence or concession
	Error        string
	DueBy        time.Time
	Rule         string // the rule's name and id, for RuleMatched
	Message      string // the rule's own words, for RuleMatched
	// Program, Month, Ratio, Threshold and Status describe a ratio's crossing, for RatioCrossed:
	// "Visa VAMP", "2026-04", "1.25 %", "1.5 % and 1,500 events", "approaching".
	Program, Month, Ratio, Threshold, Status string
	// Link is the dispute's page: a full URL when the server's public address is known,
	// otherwise its path.
	Link string
}

type staffView struct {
	Merchant, DisputeID, OrderID, Amount, Provider, Kind, Error, DueBy, Link, Rule, Message string
	Program, Month, Ratio, Threshold, Status                                                string
	Absolute                                                                                bool
}

// RenderStaff renders staff template t with d.
func RenderStaff(t StaffTemplate, d StaffData) (Message, error) {
	tmpl, ok := staffParsed[t]
	if !ok {
		return Message{}, fmt.Errorf("notify: unknown staff template %q", t)
	}
	v := staffView{Merchant: oneLine(d.MerchantName), DisputeID: oneLine(d.DisputeID), OrderID: oneLine(d.OrderID),
		Amount: oneLine(d.Amount), Provider: oneLine(d.Provider), Kind: oneLine(d.Kind), Error: oneLine(d.Error),
		Link: oneLine(d.Link), Rule: oneLine(d.Rule), Message: oneLine(d.Message), Program: oneLine(d.Program),
		Month: oneLine(d.Month), Ratio: oneLine(d.Ratio), Threshold: oneLine(d.Threshold), Status: oneLine(d.Status)}
	v.Absolute = strings.HasPrefix(v.Link, "https://") || strings.HasPrefix(v.Link, "http://")
	if !d.DueBy.IsZero() {
		v.DueBy = d.DueBy.UTC().Format(DateLayout)
	}
	return execute(tmpl, string(t), v)
}

//go:embed templates/staff/*.tmpl
var staffFS embed.FS

var staffParsed = map[StaffTemplate]*template.Template{
	SubmissionFailed: parseStaff(SubmissionFailed),
	RuleMatched:      parseStaff(RuleMatched),
	RatioCrossed:     parseStaff(RatioCrossed),
}

func parseStaff(t StaffTemplate) *template.Template {
	return template.Must(template.New(string(t)).Option("missingkey=error").ParseFS(staffFS, "templates/staff/"+string(t)+".tmpl"))
}
