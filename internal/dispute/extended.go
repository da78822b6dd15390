package dispute

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"disputed/internal/fault"
)

// FieldType is the type of an extended field's values.
type FieldType string

// Field types.
const (
	FieldString  FieldType = "string"
	FieldNumber  FieldType = "number"  // a decimal, kept exactly as written (never a float)
	FieldBoolean FieldType = "boolean" // true or false
	FieldDate    FieldType = "date"    // YYYY-MM-DD
)

// FieldTypes are the field types, in the order the settings offer them.
var FieldTypes = []FieldType{FieldString, FieldNumber, FieldBoolean, FieldDate}

// FieldDefinition is an extended field the merchant defined: the name disputes use for it, the
// type of its values and the words the UI shows for it (the name when empty).
type FieldDefinition struct {
	Name  string
	Type  FieldType
	Label string
}

// Title is what the UI calls the field.
func (f FieldDefinition) Title() string {
	if f.Label != "" {
		return f.Label
	}
	return f.Name
}

// Limits of extended fields.
const (
	MaxFieldDefinitions = 20
	maxFieldName        = 40
	maxFieldLabel       = 80
	maxFieldString      = 500
	maxFieldNumber      = 40
)

var (
	fieldName   = regexp.MustCompile(`^[a-z0-9_]{1,40}$`)
	fieldNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?$`)
)

// ValidateFieldDefinitions checks the merchant's definitions: at most MaxFieldDefinitions, each
// named 1–40 of a-z, 0-9 and _, once, with a known type.
func ValidateFieldDefinitions(defs []FieldDefinition) error {
	if len(defs) > MaxFieldDefinitions {
		return fault.Invalidf(fault.CodeInvalidValue, "extended_fields", "at most %d extended fields can be defined", MaxFieldDefinitions)
	}
	seen := map[string]bool{}
	for i, f := range defs {
		param := fmt.Sprintf("extended_fields[%d]", i)
		switch {
		case !fieldName.MatchString(f.Name):
			return fault.Invalidf(fault.CodeInvalidValue, param+".name", "an extended field's name is 1 to %d of a-z, 0-9 and _", maxFieldName)
		case seen[f.Name]:
			return fault.Invalidf(fault.CodeInvalidValue, param+".name", "the extended field %q is defined twice", f.Name)
		case !slices.Contains(FieldTypes, f.Type):
			return fault.Invalidf(fault.CodeInvalidValue, param+".type", "an extended field's type is string, number, boolean or date")
		case len(f.Label) > maxFieldLabel:
			return fault.Invalidf(fault.CodeInvalidValue, param+".label", "an extended field's label is at most %d characters", maxFieldLabel)
		}
		seen[f.Name] = true
	}
	return nil
}

// FieldValue is an extended field's value: its type and its canonical text ("42.50", "true",
// "2026-01-31", or the string itself), which is what a filter matches.
type FieldValue struct {
	Type FieldType
	Text string
}

// Bare reports whether the value's JSON is its text as it is (a number or boolean), not quoted.
func (v FieldValue) Bare() bool { return v.Type == FieldNumber || v.Type == FieldBoolean }

// ExtendedFields are a dispute's values of the merchant's extended fields, by name.
type ExtendedFields map[string]FieldValue

// ChangeExtendedFields is cur with in applied: each value checked against the field of its name
// in defs, a null removing the field. An unknown name or a value of the wrong type is refused
// with the parameter extended_fields.<name>.
func ChangeExtendedFields(cur ExtendedFields, in map[string]json.RawMessage, defs []FieldDefinition) (ExtendedFields, error) {
	out := maps.Clone(cur)
	if out == nil {
		out = ExtendedFields{}
	}
	for _, name := range slices.Sorted(maps.Keys(in)) {
		raw := bytes.TrimSpace(in[name])
		if string(raw) == "null" || len(raw) == 0 {
			delete(out, name)
			continue
		}
		i := slices.IndexFunc(defs, func(f FieldDefinition) bool { return f.Name == name })
		if i < 0 {
			return nil, fault.Invalidf(fault.CodeInvalidValue, "extended_fields."+name, "%q is not an extended field defined in the settings", name)
		}
		v, err := parseFieldValue(defs[i].Type, raw)
		if err != nil {
			return nil, fault.Invalidf(fault.CodeInvalidValue, "extended_fields."+name, "extended_fields.%s %v", name, err)
		}
		out[name] = v
	}
	if len(out) == 0 {
		return nil, nil // none, as a dispute without any holds them
	}
	return out, nil
}

// ParseFieldText reads the text of a value of type t, as a filter or a form gives it.
func ParseFieldText(t FieldType, text string) (FieldValue, error) {
	if t == FieldString {
		if len(text) > maxFieldString {
			return FieldValue{}, fmt.Errorf("is longer than %d characters", maxFieldString)
		}
		return FieldValue{Type: t, Text: text}, nil
	}
	if t == FieldDate {
		return parseFieldValue(t, []byte(`"`+strings.ReplaceAll(text, `"`, "")+`"`))
	}
	return parseFieldValue(t, []byte(text))
}

func parseFieldValue(t FieldType, raw []byte) (FieldValue, error) {
	switch t {
	case FieldString, FieldDate:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return FieldValue{}, fmt.Errorf("must be a %s", map[FieldType]string{FieldString: "string", FieldDate: "date as a string, YYYY-MM-DD"}[t])
		}
		if t == FieldDate {
			if _, err := time.Parse(time.DateOnly, s); err != nil {
				return FieldValue{}, fmt.Errorf("must be a date, YYYY-MM-DD")
			}
		} else if len(s) > maxFieldString {
			return FieldValue{}, fmt.Errorf("is longer than %d characters", maxFieldString)
		}
		return FieldValue{Type: t, Text: s}, nil
	case FieldNumber:
		if len(raw) > maxFieldNumber || !fieldNumber.Match(raw) {
			return FieldValue{}, fmt.Errorf("must be a decimal number such as 12 or -3.50, of at most %d characters", maxFieldNumber)
		}
		return FieldValue{Type: t, Text: string(raw)}, nil
	case FieldBoolean:
		if s := string(raw); s != "true" && s != "false" {
			return FieldValue{}, fmt.Errorf("must be true or false")
		}
		return FieldValue{Type: t, Text: string(raw)}, nil
	}
	return FieldValue{}, fmt.Errorf("has an unknown type %q", t)
}

// ExtendedFieldFilter is the filter of disputes on the extended fields in, each value the text of
// a value of the field's type in defs ("42.50", "true", "2026-01-31"). An unknown name or a value
// of the wrong type is refused, 400 like any query the route cannot read, with the parameter
// extended_fields[<name>].
func ExtendedFieldFilter(in map[string]string, defs []FieldDefinition) (ExtendedFields, error) {
	out := ExtendedFields{}
	for _, name := range slices.Sorted(maps.Keys(in)) {
		param := "extended_fields[" + name + "]"
		i := slices.IndexFunc(defs, func(f FieldDefinition) bool { return f.Name == name })
		if i < 0 {
			return nil, fault.New(fault.Malformed, fault.CodeUnknownParameter, param, "%q is not an extended field defined in the settings", name)
		}
		v, err := ParseFieldText(defs[i].Type, in[name])
		if err != nil {
			return nil, fault.New(fault.Malformed, fault.CodeInvalidValue, param, "%s %v", param, err)
		}
		out[name] = v
	}
	return out, nil
}
