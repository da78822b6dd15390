package web

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/fault"
	"disputed/internal/rules"
)

// The Rules page: the merchant's automation rules in the order they run, how many disputes each
// acted on, and for admins the form that writes one, tries it on the decided disputes first (the
// backtest, shown with the form's values kept) and saves it, with buttons that disable, enable
// and delete a rule. Staff read it, as GET /v1/rules; the use cases refuse the rest to agents.

// ruleRoutes are the Rules page and its forms.
func (s *Server) ruleRoutes() {
	m := s.mux
	page := func(h http.HandlerFunc) http.HandlerFunc { return s.signedIn(true, h) }
	m.HandleFunc("GET /rules", page(s.rulesPage))
	m.HandleFunc("POST /rules", page(s.createRule))
	m.HandleFunc("POST /rules/backtest", page(s.backtestRule))
	m.HandleFunc("POST /rules/{id}/enabled", page(s.setRuleEnabled))
	m.HandleFunc("POST /rules/{id}/delete", page(s.deleteRule))
}

// ruleActionWords say what each rule action does, for the list and the form's choice.
var ruleActionWords = map[rules.Action]string{
	rules.Accept:         "Accept the dispute (concede it)",
	rules.Refund:         "Refund it through the provider (alerts and inquiries)",
	rules.SubmitEvidence: "Submit the evidence before the due date",
	rules.Tag:            "Tag the dispute",
	rules.BlockCustomer:  "Block the customer",
	rules.Notify:         "Notify the admins",
}

// ruleForm is the new-rule form as typed, to show it again after a backtest or a refusal.
type ruleForm struct {
	Name, When, Action                            string
	HoursBeforeDue, MinCompleteness, Tag, Message string
	Enabled                                       bool
}

// actionChoice is one option of the form's action select.
type actionChoice struct{ Value, Words string }

// Actions are the six actions to choose from, in the documentation's order.
func (ruleForm) Actions() []actionChoice {
	out := make([]actionChoice, len(rules.Actions))
	for i, a := range rules.Actions {
		out[i] = actionChoice{Value: string(a), Words: ruleActionWords[a]}
	}
	return out
}

func ruleFormPosted(r *http.Request) ruleForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return ruleForm{Name: v("name"), When: r.PostFormValue("when"), Action: v("action"), HoursBeforeDue: v("hours_before_due"),
		MinCompleteness: v("min_completeness"), Tag: v("tag"), Message: r.PostFormValue("message"), Enabled: r.PostFormValue("enabled") == "yes"}
}

// params are the form's rule: the parameters of the chosen action only, since the form shows
// every action's fields and a rule refuses those of another action.
func (f ruleForm) params() (app.RuleParams, error) {
	var p rules.Params
	switch rules.Action(f.Action) {
	case rules.SubmitEvidence:
		var err error
		if p.HoursBeforeDue, err = wholeNumber(f.HoursBeforeDue, "params.hours_before_due"); err != nil {
			return app.RuleParams{}, err
		}
		if p.MinCompleteness, err = wholeNumber(f.MinCompleteness, "params.min_completeness"); err != nil {
			return app.RuleParams{}, err
		}
	case rules.Tag:
		p.Tag = f.Tag
	case rules.Notify:
		p.Message = f.Message
	}
	return app.RuleParams{Name: &f.Name, When: &f.When, Action: &f.Action, Params: &p, Enabled: &f.Enabled}, nil
}

// wholeNumber reads a number field, empty meaning 0 (which the rule refuses where it needs one).
func wholeNumber(v, param string) (int, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fault.Invalidf(fault.CodeInvalidValue, param, "a whole number, such as 48")
	}
	return n, nil
}

type rulesPage struct {
	Rules    []app.RuleView
	Admin    bool // may write, backtest, disable and delete rules
	Form     ruleForm
	Backtest *app.Backtest // the form's rule tried on the decided disputes
	Errors   fieldErrors
	Message  string
}

func (p rulesPage) problem() string { return p.Message }

// Problem is the refusal shown beside the field name ("when", "params.tag").
func (p rulesPage) Problem(name string) string { return p.Errors[name] }

// Does says in words what a rule does, with its action's parameters.
func (rulesPage) Does(r rules.Rule) string {
	words := ruleActionWords[r.Action]
	switch r.Action {
	case rules.SubmitEvidence:
		words = "Submit the evidence " + strconv.Itoa(r.Params.HoursBeforeDue) + " hours before the due date"
		if r.Params.MinCompleteness > 0 {
			words += " when it is at least " + strconv.Itoa(r.Params.MinCompleteness) + " % complete"
		}
	case rules.Tag:
		words += " “" + r.Params.Tag + "”"
	case rules.Notify:
		if r.Params.Message != "" {
			words += ": “" + r.Params.Message + "”"
		}
	}
	return words
}

// sum is an amount in one currency, for the backtest's figures.
type sum struct {
	Amount   int64
	Currency string
}

// Sums lists per-currency amounts by currency, leaving out the zero ones.
func (rulesPage) Sums(m map[string]int64) []sum {
	var out []sum
	for _, c := range slices.Sorted(maps.Keys(m)) {
		if m[c] != 0 {
			out = append(out, sum{Amount: m[c], Currency: c})
		}
	}
	return out
}

func (s *Server) rulesPage(w http.ResponseWriter, r *http.Request) {
	s.showRules(w, r, http.StatusOK, rulesPage{})
}

// showRules renders the page with p's form, refusals and backtest, and every rule.
func (s *Server) showRules(w http.ResponseWriter, r *http.Request, status int, p rulesPage) {
	who := visitorOf(r.Context()).Who
	list, err := s.app.Rules(r.Context(), who)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	p.Rules, p.Admin = list, who.Role == actor.Admin
	s.render(w, r, status, "rules.html", "Rules", p)
}

// refuseRule shows the form again with its values and the refusal beside its field, or the
// error page when the refusal is not the form's.
func (s *Server) refuseRule(w http.ResponseWriter, r *http.Request, f ruleForm, err error) {
	status, errs, msg, ok := fieldRefusal(err)
	if !ok {
		s.failWith(w, r, err)
		return
	}
	if msg == "" {
		msg = "The rule was not saved: see the field marked."
	}
	s.showRules(w, r, status, rulesPage{Form: f, Errors: errs, Message: msg})
}

func (s *Server) createRule(w http.ResponseWriter, r *http.Request) {
	f := ruleFormPosted(r)
	p, err := f.params()
	if err == nil {
		_, err = s.app.CreateRule(r.Context(), visitorOf(r.Context()).Who, p)
	}
	if err != nil {
		s.refuseRule(w, r, f, err)
		return
	}
	done(w, r, "/rules", noticeRuleSaved)
}

// backtestRule tries the form's rule on the decided disputes and shows the form again, with
// what the rule would have done; nothing is saved.
func (s *Server) backtestRule(w http.ResponseWriter, r *http.Request) {
	f := ruleFormPosted(r)
	p, err := f.params()
	var b app.Backtest
	if err == nil {
		b, err = s.app.BacktestRule(r.Context(), visitorOf(r.Context()).Who, app.BacktestParams{Rule: &p})
	}
	if err != nil {
		s.refuseRule(w, r, f, err)
		return
	}
	s.showRules(w, r, http.StatusOK, rulesPage{Form: f, Backtest: &b})
}

func (s *Server) setRuleEnabled(w http.ResponseWriter, r *http.Request) {
	on := r.PostFormValue("enabled") == "yes"
	if _, err := s.app.UpdateRule(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"), app.RuleParams{Enabled: &on}); err != nil {
		s.failWith(w, r, err)
		return
	}
	n := noticeRuleDisabled
	if on {
		n = noticeRuleEnabled
	}
	done(w, r, "/rules", n)
}

// deleteRule deletes a rule once confirmed in its box; what it did stays on the timelines.
func (s *Server) deleteRule(w http.ResponseWriter, r *http.Request) {
	if !ticked(r) {
		s.fail(w, r, http.StatusUnprocessableEntity, "Confirm the deletion in its box: open the Rules page and choose Delete… again.")
		return
	}
	if err := s.app.DeleteRule(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id")); err != nil {
		s.failWith(w, r, err)
		return
	}
	done(w, r, "/rules", noticeRuleDeleted)
}
