package web

import (
	"bytes"
	"disputed/internal/checklist"
	"disputed/internal/dispute"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"disputed/internal/fault"
	"disputed/internal/money"
)

// page is what every template gets: the page's own data under .Data.
type page struct {
	Title   string
	Visitor visitor
	CSRF    string // the token the page's forms carry
	Notice  string // a message after an action (from the ?done= code)
	Error   string // why the last action was refused
	Data    any
}

// render writes a page; a template that fails writes nothing half-done.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	t, ok := s.pages[name]
	if !ok {
		s.cfg.Logger.Error("no such page template", "template", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	v := visitorOf(r.Context())
	p := page{Title: title, Visitor: v, CSRF: v.Session.CSRF, Notice: noticeOf(r, data), Data: data}
	if p.CSRF == "" {
		p.CSRF = s.preCSRF(w, r)
	}
	if e, ok := data.(interface{ problem() string }); ok {
		p.Error = e.problem()
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.cfg.Logger.Error("render page", "template", name, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", retryBusy) // the one 503: the password hasher was busy
	}
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// retryBusy is the Retry-After of a busy answer, in seconds: about the wait of a queued sign-in.
const retryBusy = "5"

// fail answers with an error page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, message string) {
	s.render(w, r, status, "error.html", errorTitle(status), errorPage{Status: status, Message: message})
}

// errorTitle is an error page's heading: what the status means to the person who asked, where
// HTTP's own reason phrase ("Unprocessable Entity") names a protocol's case.
func errorTitle(status int) string {
	switch status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return "That cannot be done"
	case http.StatusForbidden:
		return "Not allowed"
	case http.StatusNotFound:
		return "Not found"
	case http.StatusConflict:
		return "Changed meanwhile"
	case http.StatusRequestEntityTooLarge:
		return "Too large"
	case http.StatusTooManyRequests:
		return "Too many at once"
	case http.StatusServiceUnavailable:
		return "Busy: try again in a moment"
	}
	if status >= 500 {
		return "Something went wrong"
	}
	return http.StatusText(status)
}

type errorPage struct {
	Status  int
	Message string
}

// failWith answers with the error a use case returned: its status and its message for people.
func (s *Server) failWith(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := statusOf(err)
	if status == http.StatusInternalServerError {
		s.cfg.Logger.Error("page", "path", r.URL.Path, "error", err)
	}
	if f, ok := fault.As(err); ok && f.Code == fault.CodeTooManyInFlight {
		w.Header().Set("Retry-After", "1") // the visitor's other searches answer within a second
	}
	s.fail(w, r, status, msg)
}

// statusOf maps a use case's error to an HTTP status and a sentence for people.
func statusOf(err error) (int, string) {
	f, ok := fault.As(err)
	if !ok {
		return http.StatusInternalServerError, "Something went wrong on our side; the error was logged."
	}
	status := f.Kind.HTTPStatus()
	msg := f.Message
	if f.Param != "" && !strings.Contains(msg, f.Param) {
		msg = f.Param + ": " + msg
	}
	return status, msg
}

var funcs = template.FuncMap{
	"manualReasons": manualReasons,
	// purchaseFacts are the known fields of a purchase context, labelled.
	"purchaseFacts": purchaseFacts,
	// fieldLabel names an evidence field as people read it (internal/checklist's labels).
	"fieldLabel": checklist.Label,
	"channel":    func(c dispute.Channel) string { return channelLabels[c] },
	"protection": func(p dispute.SellerProtection) string { return sellerProtectionLabels[p] },
	// money shows minor units in the currency's decimals: "49.99 USD".
	"money": func(minor int64, currency string) string {
		s, err := money.FormatDecimal(minor, currency)
		if err != nil {
			return fmt.Sprintf("%d (minor units) %s", minor, currency)
		}
		return s + " " + currency
	},
	// total shows a sum of amounts; one past what an int64 holds reads "over" its bound.
	"total": func(t money.Total, currency string) string {
		s, err := money.FormatDecimal(t.Value, currency)
		if err != nil {
			s = fmt.Sprintf("%d (minor units)", t.Value)
		}
		if t.Over {
			s = "over " + s
		}
		return s + " " + currency
	},
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format("2 Jan 2006 15:04 UTC")
	},
	"isoTime": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	// urgency is how close a due date is: overdue, due24 (< 24 h), due72 (< 72 h), later, or "".
	"urgency": urgency,
	// prettyJSON indents a raw payload for reading; invalid JSON is shown as it is.
	"prettyJSON": func(b []byte) string {
		var out bytes.Buffer
		if err := json.Indent(&out, b, "", "  "); err != nil {
			return string(b)
		}
		return out.String()
	},
	"add": func(a, b int) int { return a + b },
	// humanize turns an API value into words: needs_response → needs response.
	"humanize": humanize,
	// confirmBox is a confirmation box of the users page.
	"confirmBox": confirmBox,
	// ratio writes a monitoring ratio, a fraction, as a percentage: "1.25 %".
	"ratio": ratioPercent,
	// winRate writes an outcome group's win rate, "—" when none was decided.
	"winRate":    winRatePercent,
	"monthWords": monthWords,
}

// urgency classifies a due date against now (time.Now: templates have no injected clock, so
// callers pass the page's own now in data when it matters).
func urgency(due, now time.Time) string {
	switch {
	case due.IsZero():
		return ""
	case !now.Before(due):
		return "overdue"
	case due.Sub(now) < 24*time.Hour:
		return "due24"
	case due.Sub(now) < 72*time.Hour:
		return "due72"
	}
	return "later"
}
