// Package rules holds the merchant's automation rules: an expression over a dispute's attributes
// (github.com/expr-lang/expr, compiled once against a typed environment) and the action to take
// when it holds, with the action's parameters checked. It does no I/O: internal/app gathers the
// attributes, runs the rules in a job and carries out the actions through its use cases.
package rules

import (
	"slices"
	"strings"
	"time"

	"disputed/internal/fault"
)

// Action is what a rule does to a dispute its expression matches.
type Action string

// The actions.
const (
	Accept         Action = "accept"          // concede the dispute
	Refund         Action = "refund"          // refund an alert or inquiry through the provider
	SubmitEvidence Action = "submit_evidence" // submit the staged evidence hours before the due date
	Tag            Action = "tag"             // add a tag
	BlockCustomer  Action = "block_customer"  // put the customer's email and card on the block list
	Notify         Action = "notify"          // email the admins and send the rule.matched event
)

// Actions lists every action, in the order the documentation gives them.
var Actions = []Action{Accept, Refund, SubmitEvidence, Tag, BlockCustomer, Notify}

// Params are an action's parameters; each action reads only its own (Check refuses the others).
type Params struct {
	// HoursBeforeDue is when submit_evidence acts: this many hours before the due date.
	HoursBeforeDue int `json:"hours_before_due,omitempty"`
	// MinCompleteness is the evidence completeness (0 to 100) submit_evidence needs to submit.
	MinCompleteness int `json:"min_completeness,omitempty"`
	// Tag is the tag the tag action adds.
	Tag string `json:"tag,omitempty"`
	// Message is notify's words to the admins, beside the rule's name.
	Message string `json:"message,omitempty"`
}

// Rule is an automation rule as the merchant wrote it.
type Rule struct {
	ID        string
	Name      string
	When      string // the expression; see Env for its names
	Action    Action
	Params    Params
	Enabled   bool
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Limits of what a rule may hold.
const (
	MaxName    = 200
	MaxWhen    = 4000
	MaxMessage = 1000
	MaxTag     = 100 // as a dispute's tags allow
)

// Check validates everything of r but its expression (Compile checks that): the name, the action
// and the action's parameters. The error is a fault naming the field.
func (r Rule) Check() error {
	switch {
	case strings.TrimSpace(r.Name) == "":
		return fault.Required("name")
	case len(r.Name) > MaxName:
		return fault.Invalidf(fault.CodeInvalidValue, "name", "name is longer than %d characters", MaxName)
	case r.Action == "":
		return fault.Required("action")
	case !slices.Contains(Actions, r.Action):
		return fault.Invalidf(fault.CodeInvalidValue, "action",
			"unknown action %q; expected accept, refund, submit_evidence, tag, block_customer or notify", r.Action)
	}
	return r.Action.check(r.Params)
}

// check validates the parameters of action a: its own, within bounds, and no other.
func (a Action) check(p Params) error {
	own := Params{}
	switch a {
	case SubmitEvidence:
		if p.HoursBeforeDue <= 0 {
			return fault.Invalidf(fault.CodeInvalidValue, "params.hours_before_due", "submit_evidence needs hours_before_due, a whole number of hours above 0")
		}
		if p.HoursBeforeDue > 24*120 {
			return fault.Invalidf(fault.CodeInvalidValue, "params.hours_before_due", "hours_before_due is at most %d (120 days)", 24*120)
		}
		if p.MinCompleteness < 0 || p.MinCompleteness > 100 {
			return fault.Invalidf(fault.CodeInvalidValue, "params.min_completeness", "min_completeness is 0 to 100")
		}
		own.HoursBeforeDue, own.MinCompleteness = p.HoursBeforeDue, p.MinCompleteness
	case Tag:
		tag := strings.TrimSpace(p.Tag)
		if tag == "" {
			return fault.Invalidf(fault.CodeParameterMissing, "params.tag", "the tag action needs params.tag")
		}
		if len(tag) > MaxTag || tag != p.Tag {
			return fault.Invalidf(fault.CodeInvalidValue, "params.tag", "a tag is 1 to %d characters without surrounding spaces", MaxTag)
		}
		own.Tag = p.Tag
	case Notify:
		if len(p.Message) > MaxMessage {
			return fault.Invalidf(fault.CodeInvalidValue, "params.message", "message is longer than %d characters", MaxMessage)
		}
		own.Message = p.Message
	}
	if p != own {
		return fault.Invalidf(fault.CodeParameterUnknown, "params", "%s takes %s", a, a.takes())
	}
	return nil
}

// takes says in words which parameters an action takes.
func (a Action) takes() string {
	switch a {
	case SubmitEvidence:
		return "hours_before_due and min_completeness only"
	case Tag:
		return "tag only"
	case Notify:
		return "message only"
	}
	return "no params"
}
