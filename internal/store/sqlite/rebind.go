package sqlite

import (
	"strconv"
	"strings"
)

// rebind rewrites the $N parameters of the generated (PostgreSQL-syntax) queries for SQLite.
// When they appear in the order of their numbers, each once ($1, $2, … — nearly every query),
// they become anonymous ?, which SQLite binds by position. Otherwise they become ?N, SQLite's
// own numbered form: to SQLite $N is a named parameter, numbered by first appearance, so in a
// query that uses $8 before $7 (sqlc numbers LIMIT after OFFSET) it is not parameter 8, and a
// reused $1 must stay one parameter. ? is preferred because the driver finds a numbered
// parameter's argument through its name, a lookup SQLite makes by scanning the statement's
// parameters: binding a statement with N of them costs O(N²), 2 µs for a six-column row here.
// Quoted strings, quoted names and comments are copied as they are.
func rebind(q string) string {
	var text []string // the query between parameters: one more than params
	var params []string
	from := 0
	for i := 0; i < len(q); {
		end := i + 1
		switch c := q[i]; {
		case c == '\'' || c == '"':
			end = skipPast(q, i+1, q[i:i+1]) // a doubled quote inside reads as two strings: same result
		case strings.HasPrefix(q[i:], "--"):
			end = skipPast(q, i+2, "\n")
		case strings.HasPrefix(q[i:], "/*"):
			end = skipPast(q, i+2, "*/")
		case c == '$' && i+1 < len(q) && '0' <= q[i+1] && q[i+1] <= '9':
			end = i + 1
			for end < len(q) && '0' <= q[end] && q[end] <= '9' {
				end++
			}
			text = append(text, q[from:i])
			params = append(params, q[i+1:end])
			from = end
		}
		i = end
	}
	text = append(text, q[from:])
	inOrder := true
	for k, n := range params {
		inOrder = inOrder && n == strconv.Itoa(k+1)
	}
	var b strings.Builder
	b.Grow(len(q))
	for k, n := range params {
		b.WriteString(text[k])
		b.WriteByte('?')
		if !inOrder {
			b.WriteString(n)
		}
	}
	b.WriteString(text[len(params)])
	return b.String()
}

// skipPast returns the index just after the first closing found at or after from, or len(q).
func skipPast(q string, from int, closing string) int {
	if j := strings.Index(q[from:], closing); j >= 0 {
		return from + j + len(closing)
	}
	return len(q)
}
