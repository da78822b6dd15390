package sqlstore

import (
	"strings"
	"unicode/utf8"

	"disputed/internal/store"
)

// A q filter of at least trigramLength characters is looked for in a trigram index of the
// disputes' search text (migration 00039) when it matches few disputes, which are then sorted:
// a case number or a dispute id had been looked for along the whole newest-first walk (1.3 to
// 2.9 s on SQLite, 0.3 s on PostgreSQL at a million disputes). A shorter text has no trigram:
// it is looked for along the walk, as one that matches many is, whose page is soon found.

// trigramLength is the fewest characters of a text that a trigram index can find.
const trigramLength = 3

// indexedSearch returns the text f's query looks for in the disputes' search, and whether the
// trigram index can find it. The admin UI's query also matches the order's, customer's and
// charge's fields, which that index does not hold.
func indexedSearch(f store.DisputeFilter) (string, bool) {
	text := searchedText(f.Query)
	return text, !f.QueryRelated && utf8.RuneCountInString(text) >= trigramLength
}

// FTS5Search is SQLite's Dialect.SearchIndex: the disputes whose rowid disputes_search, an FTS5
// table with the trigram tokenizer, yields for the text as a phrase (its trigrams one after
// another: the text, folded to lower case by FTS5's own rules). A phrase rather than FTS5's
// LIKE, which would read "%" and "_" in the text as wildcards.
func FTS5Search(w *conditions, text string) string {
	phrase := `"` + strings.ReplaceAll(text, `"`, `""`) + `"`
	return "disputes.rowid IN (SELECT rowid FROM disputes_search WHERE disputes_search MATCH " + w.arg(phrase) + ")"
}

// PgTrgmSearch is PostgreSQL's Dialect.SearchIndex: the pg_trgm GIN index over search serves
// LIKE itself.
func PgTrgmSearch(w *conditions, text string) string {
	return "search LIKE " + w.arg(likeContains(text)) + ` ESCAPE '\'`
}
