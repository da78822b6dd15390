package httpapi

import (
	"encoding/json"
	"reflect"

	"github.com/danielgtaylor/huma/v2"
)

// TablePatch is a settings change's rows replacing a shipped data table (the fee table, the
// monitoring thresholds), where null (back to the shipped table) differs from leaving the field
// out (keep what is in force), which a pointer cannot tell apart.
type TablePatch[R any] struct {
	given bool
	rows  *[]R
}

// UnmarshalJSON is called only for a field that is present, null included.
func (p *TablePatch[R]) UnmarshalJSON(b []byte) error {
	p.given = true
	return json.Unmarshal(b, &p.rows)
}

// Schema is a list of rows, or null.
func (TablePatch[R]) Schema(r huma.Registry) *huma.Schema {
	s := r.Schema(reflect.TypeFor[[]R](), true, "")
	s.Nullable = true
	return s
}

// tableParams is the patch as the use case's parameter, each row converted by row: nil to keep
// what is in force, a pointer to nil for the shipped table.
func tableParams[R, T any](p TablePatch[R], row func(R) T) *[]T {
	if !p.given {
		return nil
	}
	var rows []T
	if p.rows != nil {
		rows = make([]T, len(*p.rows))
		for i, r := range *p.rows {
			rows[i] = row(r)
		}
	}
	return &rows
}
