package web

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fault"
)

// The dispute page's edits of the dispute itself: matching an unmatched dispute to its charge,
// and its due date and tags. Both go through UpdateDispute, as the API's update does.

// matchForm matches an unmatched dispute to a charge, by our transaction id or the provider's
// charge id.
type matchForm struct{ Charge, Error string }

// detailsForm edits the due date (YYYY-MM-DDTHH:MM, UTC; empty removes it), the tags
// (separated by commas) and the extended fields' values (empty removes one).
type detailsForm struct {
	DueBy, Tags, Error string
	Fields             []fieldInput
}

// fieldInput is an extended field's input: its definition and the value's text.
type fieldInput struct {
	dispute.FieldDefinition
	Value string
}

// Input is the name of the field's form input.
func (f fieldInput) Input() string { return "extended." + f.Name }

func detailsFormOf(d dispute.Dispute, defs []dispute.FieldDefinition) detailsForm {
	f := detailsForm{Tags: strings.Join(d.Tags, ", ")}
	if !d.DueBy.IsZero() {
		f.DueBy = d.DueBy.UTC().Format("2006-01-02T15:04")
	}
	for _, def := range defs {
		f.Fields = append(f.Fields, fieldInput{FieldDefinition: def, Value: d.ExtendedFields[def.Name].Text})
	}
	return f
}

// extendedFieldsShown are d's extended fields' values, in the definitions' order and by their
// titles, then those of fields no longer defined, by name.
func extendedFieldsShown(d dispute.Dispute, defs []dispute.FieldDefinition) []keyValue {
	var out []keyValue
	for _, def := range defs {
		if v, ok := d.ExtendedFields[def.Name]; ok {
			out = append(out, keyValue{Name: def.Title(), Value: fieldWords(v)})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(d.ExtendedFields)) {
		if !slices.ContainsFunc(defs, func(f dispute.FieldDefinition) bool { return f.Name == name }) {
			out = append(out, keyValue{Name: name, Value: fieldWords(d.ExtendedFields[name])})
		}
	}
	return out
}

// fieldWords is a value as the page says it: a boolean as yes or no, the rest as written.
func fieldWords(v dispute.FieldValue) string {
	if v.Type == dispute.FieldBoolean {
		return map[string]string{"true": "yes", "false": "no"}[v.Text]
	}
	return v.Text
}

// extendedPosted are the form's extended fields as the update takes them: each value as JSON of
// its field's type (the domain checks it), an empty one removing the field.
func extendedPosted(r *http.Request, fields []fieldInput) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for _, f := range fields {
		v := strings.TrimSpace(r.PostFormValue(f.Input()))
		switch {
		case v == "":
			out[f.Name] = json.RawMessage("null")
		case f.Type == dispute.FieldNumber || f.Type == dispute.FieldBoolean:
			out[f.Name] = json.RawMessage(v)
		default:
			b, _ := json.Marshal(v) // a string always encodes
			out[f.Name] = b
		}
	}
	return out
}

func (s *Server) matchDispute(w http.ResponseWriter, r *http.Request) {
	f := matchForm{Charge: strings.TrimSpace(r.PostFormValue("charge"))}
	s.disputeAction(w, r, func(rev *int64) (notice, error) {
		if rev == nil {
			return "", fault.New(fault.Malformed, fault.CodeParameterMissing, "revision", "the form lacks the dispute's revision: reload the page")
		}
		if f.Charge == "" {
			return "", formInvalid("Give the charge's transaction id or the provider's charge id.")
		}
		_, err := s.app.UpdateDispute(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"), *rev,
			app.UpdateDisputeParams{TransactionID: f.Charge})
		return noticeDisputeMatched, err
	}, func(p *disputePage, msg string) { f.Error = msg; p.MatchForm = f })
}

func (s *Server) editDetails(w http.ResponseWriter, r *http.Request) {
	f := detailsForm{DueBy: strings.TrimSpace(r.PostFormValue("due_by")), Tags: r.PostFormValue("tags")}
	who := visitorOf(r.Context()).Who
	defs, err := s.app.FieldDefinitions(r.Context(), who)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	for _, def := range defs {
		f.Fields = append(f.Fields, fieldInput{FieldDefinition: def, Value: strings.TrimSpace(r.PostFormValue("extended." + def.Name))})
	}
	s.disputeAction(w, r, func(rev *int64) (notice, error) {
		if rev == nil {
			return "", fault.New(fault.Malformed, fault.CodeParameterMissing, "revision", "the form lacks the dispute's revision: reload the page")
		}
		due, err := parseDue(f.DueBy)
		if err != nil {
			return "", formInvalid("The due date is not a date and time (YYYY-MM-DD HH:MM, UTC).")
		}
		tags := []string{}
		for t := range strings.SplitSeq(f.Tags, ",") {
			if t = strings.TrimSpace(t); t != "" {
				tags = append(tags, t)
			}
		}
		_, err = s.app.UpdateDispute(r.Context(), who, r.PathValue("id"), *rev,
			app.UpdateDisputeParams{UpdateParams: dispute.UpdateParams{DueBy: &due, Tags: &tags, ExtendedFields: extendedPosted(r, f.Fields)}})
		return noticeDisputeUpdated, err
	}, func(p *disputePage, msg string) { f.Error = msg; p.DetailsForm = f })
}
