package sqlstore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"disputed/internal/store"
)

// Times are stored as unix milliseconds, which both databases compare and index as plain
// integers; a zero time is NULL where a column may have none. They come back in UTC.

func millis(t time.Time) int64 { return t.UnixMilli() }

func nullMillis(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func fromNullMillis(ms sql.NullInt64) time.Time {
	if !ms.Valid {
		return time.Time{}
	}
	return fromMillis(ms.Int64)
}

// nullString is the "no filter" NULL of an optional list filter.
func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// bytesOrNil gives back stored bytes as nil when there are none, whether the database kept an
// empty value or NULL, so that both stores agree.
func bytesOrNil(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// jsonColumns encodes and decodes the JSON kept in TEXT columns, remembering the first error so
// that a row with several such columns is checked once.
type jsonColumns struct{ err error }

func (j *jsonColumns) encode(v any) string {
	b, err := json.Marshal(v)
	if err != nil && j.err == nil {
		j.err = fmt.Errorf("encoding %T: %w", v, err)
	}
	return string(b)
}

func (j *jsonColumns) decode(s string, v any) {
	if s == "{}" || s == "[]" {
		return // empty, as most maps and lists are: v keeps its empty value, at no cost
	}
	if err := json.Unmarshal([]byte(s), v); err != nil && j.err == nil {
		j.err = fmt.Errorf("decoding %T: %w", v, err)
	}
}

// stringMap encodes a map that may be nil; it is stored as {} either way.
func (j *jsonColumns) stringMap(m map[string]string) string {
	if m == nil {
		return "{}"
	}
	return j.encode(m)
}

// decodeStringMap always returns a non-nil map, so that callers may add to it.
func (j *jsonColumns) decodeStringMap(s string) map[string]string {
	m := map[string]string{}
	j.decode(s, &m)
	if m == nil { // the column held "null"
		m = map[string]string{}
	}
	return m
}

// stringSlice encodes a slice that may be nil; it is stored as [] either way.
func (j *jsonColumns) stringSlice(s []string) string {
	if s == nil {
		return "[]"
	}
	return j.encode(s)
}

// decodeStringSlice always returns a non-nil slice, empty when there is nothing.
func (j *jsonColumns) decodeStringSlice(s string) []string {
	out := []string{}
	j.decode(s, &out)
	if out == nil {
		out = []string{}
	}
	return out
}

// page holds the keyset and offset arguments shared by every list query.
type page struct {
	afterID      sql.NullString
	afterCreated sql.NullInt64
	limit        int32
	offset       int32
}

// pageOf turns a store.Page into query arguments. It asks for one row more than the page so that
// the caller can tell whether there is another page; a Limit of zero or less means no limit.
func pageOf(p store.Page) page {
	out := page{limit: math.MaxInt32, offset: int32(min(max(p.Offset, 0), math.MaxInt32))}
	if p.Limit > 0 {
		out.limit = int32(min(p.Limit, math.MaxInt32-1) + 1)
	}
	if p.AfterID != "" {
		out.afterID = sql.NullString{String: p.AfterID, Valid: true}
		out.afterCreated = sql.NullInt64{Int64: millis(p.AfterCreated), Valid: true}
	}
	return out
}

// likeEscaper makes a string a LIKE pattern (with ESCAPE '\') that matches it literally.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// likeContains is a LIKE pattern (with ESCAPE '\') matching s anywhere, s taken literally.
func likeContains(s string) string { return "%" + likeEscaper.Replace(s) + "%" }
