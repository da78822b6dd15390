package sqlite

import "strings"

// rebind rewrites the $N parameters of the generated (PostgreSQL-syntax) queries as ?N. To
// SQLite itself $N is a named parameter, numbered by first appearance, so in a query that uses $8
// before $7 (sqlc numbers LIMIT after OFFSET) it is not parameter 8; the modernc driver happens to
// bind a parameter named $N to argument N anyway, but ?N is SQLite's own numbered form and does
// not lean on that. A reused $1 stays one parameter. Quoted strings, quoted names and comments are
// copied as they are.
func rebind(q string) string {
	var b strings.Builder
	b.Grow(len(q))
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
			b.WriteByte('?')
			i++
			continue
		}
		b.WriteString(q[i:end])
		i = end
	}
	return b.String()
}

// skipPast returns the index just after the first closing found at or after from, or len(q).
func skipPast(q string, from int, closing string) int {
	if j := strings.Index(q[from:], closing); j >= 0 {
		return from + j + len(closing)
	}
	return len(q)
}
