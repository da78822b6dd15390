package app_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// defineFields saves the extended fields' definitions.
func defineFields(e *testenv.Env, defs []dispute.FieldDefinition) (store.Settings, error) {
	return e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{ExtendedFields: &defs})
}

// fourFields are a field of each type.
var fourFields = []dispute.FieldDefinition{{Name: "priority", Type: dispute.FieldNumber, Label: "Priority"},
	{Name: "vip", Type: dispute.FieldBoolean}, {Name: "shipped_on", Type: dispute.FieldDate}, {Name: "agent", Type: dispute.FieldString}}

// fields are extended field values as a request gives them: name to JSON.
func fields(kv ...string) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i]] = json.RawMessage(kv[i+1])
	}
	return out
}

// TestExtendedFieldDefinitions: the admin defines the extended fields in the settings; bad
// definitions are refused naming the one at fault, and change nothing.
func TestExtendedFieldDefinitions(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		saved := testenv.Must(defineFields(e, fourFields))(t)
		if diff := cmp.Diff(fourFields, saved.ExtendedFields); diff != "" {
			t.Fatalf("saved definitions (-want +got):\n%s", diff)
		}
		read := testenv.Must(e.App.Settings(e.Ctx, testenv.Admin))(t)
		if diff := cmp.Diff(fourFields, read.ExtendedFields); diff != "" {
			t.Fatalf("read definitions (-want +got):\n%s", diff)
		}
		for _, bad := range []struct {
			defs  []dispute.FieldDefinition
			param string
		}{
			{[]dispute.FieldDefinition{{Name: "Priority", Type: "number"}}, "extended_fields[0].name"},
			{[]dispute.FieldDefinition{{Name: "a", Type: "string"}, {Name: "a", Type: "number"}}, "extended_fields[1].name"},
			{[]dispute.FieldDefinition{{Name: "a", Type: "float"}}, "extended_fields[0].type"},
			{[]dispute.FieldDefinition{{Name: "", Type: "string"}}, "extended_fields[0].name"},
		} {
			_, err := defineFields(e, bad.defs)
			if fe := testenv.WantFault(t, err, fault.Invalid, fault.CodeInvalidValue); fe.Param != bad.param {
				t.Errorf("%v: param %q, want %q", bad.defs, fe.Param, bad.param)
			}
		}
		many := make([]dispute.FieldDefinition, 21)
		for i := range many {
			many[i] = dispute.FieldDefinition{Name: "f" + string(rune('a'+i)), Type: dispute.FieldString}
		}
		_, err := defineFields(e, many)
		testenv.WantFault(t, err, fault.Invalid, fault.CodeInvalidValue)
		if got := testenv.Must(e.App.Settings(e.Ctx, testenv.Admin))(t).ExtendedFields; len(got) != 4 {
			t.Fatalf("a refused change changed the definitions: %v", got)
		}
	})
}

// TestExtendedFieldValues: disputes carry values of the defined fields, typed, checked on create
// and update (nothing changes when one is refused), filterable, and hidden from the parties.
func TestExtendedFieldValues(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		testenv.Must(defineFields(e, fourFields))(t)
		s := e.Sale(testenv.SaleParams{Amount: 1000})
		open := func(s testenv.Sale, values map[string]json.RawMessage) (dispute.Dispute, error) {
			return e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "chargeback", TransactionID: s.Charge.ID, ExtendedFields: values})
		}
		for _, bad := range []struct {
			values map[string]json.RawMessage
			param  string
		}{
			{fields("colour", `"red"`), "extended_fields.colour"},
			{fields("priority", `"high"`), "extended_fields.priority"},
			{fields("vip", `"yes"`), "extended_fields.vip"},
			{fields("shipped_on", `"31/01/2026"`), "extended_fields.shipped_on"},
			{fields("agent", `7`), "extended_fields.agent"},
			{fields("priority", `1e3`), "extended_fields.priority"},
		} {
			_, err := open(s, bad.values)
			if fe := testenv.WantFault(t, err, fault.Invalid, fault.CodeInvalidValue); fe.Param != bad.param {
				t.Errorf("create with %s: param %q, want %q", bad.values, fe.Param, bad.param)
			}
		}
		if all := list(e, testenv.Admin, nil); len(all) != 0 {
			t.Fatalf("refused creates made %d disputes", len(all))
		}
		a := testenv.Must(open(s, fields("priority", `12.50`, "vip", `true`, "shipped_on", `"2026-01-31"`, "agent", `"Zoë <ops>"`)))(t)
		if diff := cmp.Diff(dispute.ExtendedFields{"priority": {Type: dispute.FieldNumber, Text: "12.50"}, "vip": {Type: dispute.FieldBoolean, Text: "true"},
			"shipped_on": {Type: dispute.FieldDate, Text: "2026-01-31"}, "agent": {Type: dispute.FieldString, Text: "Zoë <ops>"}}, a.ExtendedFields); diff != "" {
			t.Fatalf("created (-want +got):\n%s", diff)
		}
		b := testenv.Must(open(e.Sale(testenv.SaleParams{Amount: 2000}), fields("priority", `3`)))(t)

		// An update merges; null removes; a refused one changes nothing.
		x := []string{"x"}
		_, err := e.App.UpdateDispute(e.Ctx, testenv.Admin, a.ID, a.Revision, app.UpdateDisputeParams{UpdateParams: dispute.UpdateParams{
			Tags: &x, ExtendedFields: fields("vip", `"no"`)}})
		if fe := testenv.WantFault(t, err, fault.Invalid, fault.CodeInvalidValue); fe.Param != "extended_fields.vip" {
			t.Fatalf("update param %q", fe.Param)
		}
		if g := e.Reload(a); g.Revision != a.Revision || len(g.Tags) != 0 {
			t.Fatalf("a refused update changed the dispute: revision %d tags %v", g.Revision, g.Tags)
		}
		u := testenv.Must(update(e, a.ID, a.Revision, dispute.UpdateParams{ExtendedFields: fields("vip", `false`, "agent", `null`)}))(t)
		after := dispute.ExtendedFields{"priority": {Type: dispute.FieldNumber, Text: "12.50"}, "vip": {Type: dispute.FieldBoolean, Text: "false"},
			"shipped_on": {Type: dispute.FieldDate, Text: "2026-01-31"}}
		if diff := cmp.Diff(after, u.ExtendedFields); diff != "" {
			t.Fatalf("updated (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(after, e.Reload(a).ExtendedFields); diff != "" {
			t.Fatalf("read back (-want +got):\n%s", diff)
		}

		// The filter matches the stored value exactly.
		for _, f := range []struct {
			filter map[string]string
			ids    []string
		}{
			{map[string]string{"priority": "12.50"}, []string{a.ID}},
			{map[string]string{"priority": "12.5"}, nil},
			{map[string]string{"priority": "3"}, []string{b.ID}},
			{map[string]string{"vip": "false"}, []string{a.ID}},
			{map[string]string{"vip": "true"}, nil},
			{map[string]string{"shipped_on": "2026-01-31", "priority": "12.50"}, []string{a.ID}},
			{map[string]string{"agent": "Zoë <ops>"}, nil},
		} {
			var got []string
			for _, d := range list(e, testenv.Admin, f.filter) {
				got = append(got, d.ID)
			}
			slices.Sort(got)
			slices.Sort(f.ids)
			if fmt.Sprint(got) != fmt.Sprint(f.ids) {
				t.Errorf("%v: got %v, want %v", f.filter, got, f.ids)
			}
		}
		_, _, err = e.App.ListDisputes(e.Ctx, testenv.Admin, store.DisputeFilter{Page: store.Page{Limit: 100}}, map[string]string{"colour": "red"})
		if fe := testenv.WantFault(t, err, fault.Malformed, ""); fe.Param != "extended_fields[colour]" {
			t.Fatalf("undefined filter param %q", fe.Param)
		}
		_, _, err = e.App.ListDisputes(e.Ctx, testenv.Admin, store.DisputeFilter{Page: store.Page{Limit: 100}}, map[string]string{"vip": "maybe"})
		testenv.WantFault(t, err, fault.Malformed, "")

		// A buyer sees none of them, cannot filter on them.
		buyer := actor.Key("key_buyer", actor.Buyer, s.Customer.ID)
		if g := testenv.Must(e.App.Dispute(e.Ctx, buyer, a.ID))(t); len(g.ExtendedFields) != 0 {
			t.Fatalf("the buyer sees extended fields %v", g.ExtendedFields)
		}
		_, _, err = e.App.ListDisputes(e.Ctx, buyer, store.DisputeFilter{Page: store.Page{Limit: 100}}, map[string]string{"vip": "false"})
		testenv.WantFault(t, err, fault.Forbidden, "")
	})
}

// list is the first page of disputes who sees, filtered on extended fields.
func list(e *testenv.Env, who actor.Actor, extended map[string]string) []dispute.Dispute {
	e.T.Helper()
	ds, _, err := e.App.ListDisputes(e.Ctx, who, store.DisputeFilter{Page: store.Page{Limit: 100}}, extended)
	if err != nil {
		e.T.Fatal(err)
	}
	return ds
}
