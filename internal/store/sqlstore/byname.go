package sqlstore

import (
	"database/sql"
	"fmt"
	"reflect"
	"slices"
	"sync"
)

// Rows are read and written by column name, never by position: a statement built at run time
// (SELECT disputes.* in a list) is read into the row struct sqlc generated from the schema, its
// fields tagged with their columns (emit_db_tags), so that the order of the columns does not
// matter and a column added by a migration is read once sqlc is run again, with no list of
// columns to extend by hand.

// fieldsByColumn maps the columns of a struct sqlc generated to the indexes of its fields.
func fieldsByColumn(t reflect.Type) map[string]int {
	fields := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		if column := t.Field(i).Tag.Get("db"); column != "" {
			fields[column] = i
		}
	}
	return fields
}

// byName reads rows into a T, a struct sqlc generated, each column into the field tagged with its
// name. It is built once per row type (its fields' tags read once, not per row).
type byName[T any] struct {
	fields map[string]int
}

func newByName[T any]() byName[T] {
	return byName[T]{fields: fieldsByColumn(reflect.TypeFor[T]())}
}

// scan reads the current row of rows. The row must have exactly T's columns: a column no field
// reads, or a field no column fills, is an error, so that neither is dropped silently.
func (b byName[T]) scan(rows *sql.Rows) (T, error) {
	var r T
	columns, err := rows.Columns()
	if err != nil {
		return r, err
	}
	if len(columns) != len(b.fields) {
		return r, fmt.Errorf("%d columns read into the %d fields of %T", len(columns), len(b.fields), r)
	}
	v := reflect.ValueOf(&r).Elem()
	dest := make([]any, len(columns))
	for i, column := range columns {
		f, ok := b.fields[column]
		if !ok {
			return r, fmt.Errorf("column %s: %T has no field for it", column, r)
		}
		dest[i] = v.Field(f).Addr().Interface()
	}
	return r, rows.Scan(dest...)
}

// scanBy reads a row by name into T and converts it with from: the scan of a list of R.
func scanBy[T, R any](b byName[T], from func(T) (R, error)) func(*sql.Rows) (R, error) {
	return func(rows *sql.Rows) (R, error) {
		r, err := b.scan(rows)
		if err != nil {
			var zero R
			return zero, err
		}
		return from(r)
	}
}

// Columns returns the columns of row, a struct sqlc generated, and their values, in the order
// of its fields: what a writer of whole rows (the benchmarks' loader) names and writes, and
// what UpdateDispute compares. The columns of each type are found once (reading the fields'
// tags again was a twentieth of an expiry's CPU), and the slice is shared: callers read it.
func Columns(row any) (columns []string, values []any) {
	v := reflect.ValueOf(row)
	fields := taggedFields(v.Type())
	values = make([]any, len(fields.index))
	for i, f := range fields.index {
		values[i] = v.Field(f).Interface()
	}
	return slices.Clip(fields.columns), values // an append by a caller copies, never writes the shared array
}

// tagged are the fields of a struct type that name a column, in order: their indexes and
// their columns.
type tagged struct {
	index   []int
	columns []string
}

var taggedByType sync.Map // reflect.Type → tagged

func taggedFields(t reflect.Type) tagged {
	if f, ok := taggedByType.Load(t); ok {
		return f.(tagged)
	}
	var f tagged
	for i := range t.NumField() {
		if column := t.Field(i).Tag.Get("db"); column != "" {
			f.index, f.columns = append(f.index, i), append(f.columns, column)
		}
	}
	taggedByType.Store(t, f)
	return f
}
