package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"disputed/internal/store"
)

// A q filter of at least trigramLength characters is looked for in the trigram indexes of the
// texts it matches (migration 00039) when they hold it in few rows, and the disputes found are
// sorted: a case number or a dispute id had been looked for along the whole newest-first walk
// (1.3 to 2.9 s on SQLite, 0.3 s on PostgreSQL at a million disputes). A shorter text has no
// trigram: it is looked for along the walk, as one that many rows hold is, whose page is soon
// found there. Which parts of the API's q the index is asked for: searchsample.go.

// trigramLength is the fewest characters of a text that a trigram index can find.
const trigramLength = 3

// TrigramIndexes is how a database reads its trigram indexes (migration 00039).
type TrigramIndexes int

const (
	// FTS5Tables are SQLite's: <table>_search, FTS5 tables with the trigram tokenizer whose
	// rowids are the table's. They find a text as a phrase (its trigrams one after another),
	// folding case by FTS5's own rules, so the rows they yield are checked by the exact terms.
	// A phrase rather than FTS5's LIKE, which would read "%" and "_" in the text as wildcards.
	FTS5Tables TrigramIndexes = iota + 1
	// PgTrgmIndexes are PostgreSQL's: pg_trgm GIN indexes over the expressions the LIKE terms
	// are written in, which they serve themselves.
	PgTrgmIndexes
)

// A trigramSearch looks for texts in a table's trigram index.
type trigramSearch struct {
	table string
	match string // the FTS5 query
	// like is the LIKE terms over the expressions PostgreSQL's indexes hold, of the row of table
	// named alias, that the FTS5 query stands for.
	like func(w *conditions, alias string) string
	// pgIndexed, when set, is what PostgreSQL's indexes are asked for instead of like: terms
	// over parts of the text (its uncommon runs: textSearch) that hold for at least the rows
	// like holds for, which unindexed, like written so that no index serves it, then checks.
	pgIndexed, unindexed func(w *conditions, alias string) string
}

// pgTerms is what PostgreSQL's indexes are asked for by s.
func (s trigramSearch) pgTerms(w *conditions, alias string) string {
	if s.pgIndexed != nil {
		return s.pgIndexed(w, alias)
	}
	return s.like(w, alias)
}

// term is a term over the rows of s.table named alias that holds for at least those s.like
// holds for, read through the table's trigram index.
func (x TrigramIndexes) term(w *conditions, alias string, s trigramSearch) string {
	if x == PgTrgmIndexes {
		return "(" + s.pgTerms(w, alias) + ")"
	}
	return fmt.Sprintf("%s.rowid IN (SELECT rowid FROM %[2]s_search WHERE %[2]s_search MATCH %s)", alias, s.table, w.arg(s.match))
}

// probe is a query of one column with a row for each row term yields, read from the index
// alone as it yields them, so that counting the first few costs no more (SQLite's IN would
// gather them all first).
func (x TrigramIndexes) probe(w *conditions, s trigramSearch) string {
	if x == PgTrgmIndexes {
		return "SELECT 1 FROM " + s.table + " WHERE " + s.pgTerms(w, s.table)
	}
	return fmt.Sprintf("SELECT 1 FROM %[1]s_search WHERE %[1]s_search MATCH %s", s.table, w.arg(s.match))
}

// exact is the term over the rows of s.table named alias that holds for those s.like holds for,
// read through the table's trigram index: on SQLite the rows FTS5 yields, checked by the LIKE;
// on PostgreSQL the LIKE itself, or the rows its parts yield, checked by the whole.
func (x TrigramIndexes) exact(w *conditions, alias string, s trigramSearch) string {
	switch {
	case x == PgTrgmIndexes && s.pgIndexed == nil:
		return x.term(w, alias, s)
	case x == PgTrgmIndexes:
		return x.term(w, alias, s) + " AND (" + s.unindexed(w, alias) + ")"
	}
	return x.term(w, alias, s) + " AND (" + s.like(w, alias) + ")"
}

// phrase is text as an FTS5 phrase.
func phrase(text string) string { return `"` + strings.ReplaceAll(text, `"`, `""`) + `"` }

// querySearch is the search of the API's q filter in the disputes' own fields (search), for
// all of keys (searchKeys).
func querySearch(keys []string) trigramSearch {
	match := make([]string, len(keys))
	for i, k := range keys {
		match[i] = "{search} : " + phrase(k)
	}
	return trigramSearch{table: "disputes", match: strings.Join(match, " AND "),
		like: func(w *conditions, alias string) string {
			terms := make([]string, len(keys))
			for i, k := range keys {
				terms[i] = alias + ".search LIKE " + w.arg(likeContains(k)) + ` ESCAPE '\'`
			}
			return strings.Join(terms, " AND ")
		}}
}

// The searches of the admin UI's query: the dispute's own fields, and those of its order,
// customer and charge. The dispute's own fields are in search, lower-cased in Go; the order's
// id (ASCII), and the customer's email and name are lowered in SQL, which SQLite does for ASCII
// letters only: a name is also matched as typed, so that "Élodie" finds Élodie. The charge is
// found by its id or the provider's reference, whole (as pasted, or lower-cased), through their
// own indexes: a trigram index of the transactions, the stream's most frequent write, cost each
// charge recorded on SQLite about half again (108 → 166 µs), for fragments of ids nobody types.
// Each index is asked for runs of the text when there are some that are not the whole text (the
// parts few rows hold: a disputes' and a customers' sample tell, fewSearched and customerRuns),
// and for the text as typed when it differs (FTS5 folds case as SQLite's LIKE does not); the
// rows it yields are checked by the whole text.
func relatedSearches(searched, typed string, disputeRuns, customerRuns []string) (disputes, customers trigramSearch) {
	disputes = textSearch("disputes", searched, typed, disputeRuns, []string{"%s.search", "LOWER(%s.order_id)"}, "")
	customers = textSearch("customers", searched, typed, customerRuns, []string{"LOWER(%s.email)", "LOWER(%s.name)"}, "%s.name")
	return disputes, customers
}

// textSearch is the search of a table's rows in which one of the expressions lowered, formats
// of the row's alias, holds the searched text, or typedIn (when not empty) holds it as typed.
// With runs, parts of the searched text other than the whole, the index is asked for them: FTS5
// for the rows that hold them all, PostgreSQL's for the rows in which one expression holds them
// all, and the rows found are checked by the whole text (like, unindexed).
func textSearch(table, searched, typed string, runs, lowered []string, typedIn string) trigramSearch {
	// likeOf is the LIKE terms of the whole text, each expression written with suffix: " || ''"
	// keeps PostgreSQL's index from serving it.
	likeOf := func(w *conditions, alias, suffix string) string {
		pattern := w.arg(likeContains(searched))
		var terms []string
		for _, e := range lowered {
			terms = append(terms, fmt.Sprintf(e, alias)+suffix+" LIKE "+pattern+` ESCAPE '\'`)
		}
		if typedIn != "" {
			terms = append(terms, fmt.Sprintf(typedIn, alias)+suffix+" LIKE "+w.arg(likeContains(typed))+` ESCAPE '\'`)
		}
		return strings.Join(terms, " OR ")
	}
	s := trigramSearch{table: table, match: phrase(searched), like: func(w *conditions, alias string) string { return likeOf(w, alias, "") }}
	if len(runs) > 0 && !slices.Equal(runs, []string{searched}) {
		phrases := make([]string, len(runs))
		for i, r := range runs {
			phrases[i] = phrase(r)
		}
		s.match = "(" + strings.Join(phrases, " AND ") + ")"
		s.unindexed = func(w *conditions, alias string) string { return likeOf(w, alias, " || ''") }
		s.pgIndexed = func(w *conditions, alias string) string {
			patterns := make([]string, len(runs))
			for i, r := range runs {
				patterns[i] = w.arg(likeContains(r))
			}
			var terms []string
			for _, e := range lowered {
				all := make([]string, len(runs))
				for i, p := range patterns {
					all[i] = fmt.Sprintf(e, alias) + " LIKE " + p + ` ESCAPE '\'`
				}
				terms = append(terms, "("+strings.Join(all, " AND ")+")")
			}
			if typedIn != "" {
				terms = append(terms, fmt.Sprintf(typedIn, alias)+" LIKE "+w.arg(likeContains(typed))+` ESCAPE '\'`)
			}
			return strings.Join(terms, " OR ")
		}
	}
	if typedIn != "" && typed != searched {
		s.match += " OR " + phrase(typed)
	}
	return s
}

// chargeNamed is the term over the transaction named alias that the admin UI's query names it:
// its id or its provider reference, whole, as typed or lower-cased.
func chargeNamed(w *conditions, alias, searched, typed string) string {
	names := w.arg(typed) + ", " + w.arg(searched)
	return fmt.Sprintf("(%[1]s.id IN (%[2]s) OR %[1]s.provider_reference IN (%[2]s))", alias, names)
}

// relatedQuery adds the term of the admin UI's query, checked on every dispute read along a
// walk: its customer (its own, else its order's, as the list shows it: DisputeSummaries) is
// looked up by its key and checked there, for each dispute read. A walk is taken when many
// disputes match, whose page is soon full, or for a text shorter than a trigram; either way it
// reads a bounded number of disputes. The customers the text matches had been gathered first,
// every one: by a LIKE of every customer for a short text (q=42: 0.3 s on SQLite at 800,000
// disputes and 250,000 customers), through the trigram index for a longer one, which a text
// every email holds (q=example: 3.7 s) yields all of. A scalar subquery rather than EXISTS,
// which PostgreSQL would turn into a join of every customer.
func relatedQuery(w *conditions, searched, typed string) {
	disputes, customers := relatedSearches(searched, typed, nil, nil)
	w.add(fmt.Sprintf(`(%s
 OR (SELECT 1 FROM customers c WHERE c.id = disputes.customer_id AND (%[2]s)) IS NOT NULL
 OR (customer_id = '' AND (SELECT 1 FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = disputes.order_id AND (%[2]s)) IS NOT NULL)
 OR transaction_id IN (SELECT t.id FROM transactions t WHERE %[3]s))`, disputes.like(w, "disputes"), customers.like(w, "c"),
		chargeNamed(w, "t", searched, typed)))
}

// customersNamed reads the ids of the customers the admin UI's query of f names, for a list
// read through the indexes (searchedIndexed), in a statement of its own. In the list's statement,
// PostgreSQL planned for the customers it estimated a LIKE to find (75 for any text) and chose
// a parallel plan whose workers took 9 ms to start, when an id names no customer; read first,
// they are a list of the length there is, and none leaves their parts out.
func (c *conn) customersNamed(ctx context.Context, f store.DisputeFilter, keys searchKeys) ([]string, error) {
	searched, typed, _ := searchOf(f)
	_, customers := relatedSearches(searched, typed, nil, keys.customers)
	var w conditions
	return list(ctx, c, "list disputes", "SELECT c.id FROM customers c WHERE "+c.dialect.Trigrams.exact(&w, "c", customers), w.args, scanID)
}

func scanID(rows *sql.Rows) (string, error) {
	var id string
	err := rows.Scan(&id)
	return id, err
}

// searchKeys are what the indexes are asked for a query read through them (fewSearched): a range
// of dispute_words, or else the parts of the API's q the trigram index is asked for.
type searchKeys struct {
	words    wordRange // none when from is empty
	trigrams []string
	// customers is what the customers' index is asked for by the admin UI's query (relatedSearches).
	customers []string
	// customerIDs are the customers the admin UI's query names, read first (customersNamed).
	customerIDs []string
}

// searchedIndexed is the term that reads through the words' or the trigram indexes the
// disputes f's query matches: for the API's q at least those, which otherTerms then checks; for
// the admin UI's query exactly those, each part checked as it is read (a word's dispute by its
// own fields), so that no term is left to check on the disputes read (otherTerms): PostgreSQL
// costed the check, its subqueries, on each dispute, and read every dispute instead, 400 ms at
// a million for a case number.
func searchedIndexed(w *conditions, dialect Dialect, f store.DisputeFilter, keys searchKeys) string {
	x := dialect.Trigrams
	switch {
	case !f.QueryRelated && keys.words.from != "":
		return wordsTerm(w, keys.words)
	case !f.QueryRelated:
		return x.term(w, "disputes", querySearch(keys.trigrams))
	}
	searched, typed, _ := searchOf(f)
	disputes, _ := relatedSearches(searched, typed, keys.trigrams, nil)
	var parts []string
	if keys.words.from != "" { // the words hold the order id's too (searchwords.OfDispute)
		parts = append(parts, "SELECT dw.dispute_id FROM dispute_words dw JOIN disputes d ON d.id = dw.dispute_id WHERE "+
			wordsIn(w, keys.words)+" AND ("+disputes.like(w, "d")+")")
	} else {
		parts = append(parts, "SELECT d.id FROM disputes d WHERE "+x.exact(w, "d", disputes))
	}
	if len(keys.customerIDs) > 0 {
		// The customer is the dispute's own, else its order's (relatedQuery): the disputes of the
		// customer's orders are read through disputes_order_without_customer, which on
		// PostgreSQL holds no row of a customer's own disputes to fetch and drop (970 orders of
		// one customer: 9 ms). CROSS JOIN keeps SQLite to reading the orders first: it read the
		// disputes without a customer first, through disputes_customer (30,000: 84 ms).
		named := fmt.Sprintf(dialect.JSONTexts, w.arg(jsonTexts(keys.customerIDs)))
		parts = append(parts, "SELECT d.id FROM disputes d WHERE d.customer_id IN ("+named+")",
			"SELECT d.id FROM orders o CROSS JOIN disputes d WHERE d.order_id = o.id AND o.customer_id IN ("+named+") AND d.customer_id = ''")
	}
	parts = append(parts, "SELECT d.id FROM transactions t JOIN disputes d ON d.transaction_id = t.id WHERE "+chargeNamed(w, "t", searched, typed))
	return "disputes.id IN (" + strings.Join(parts, "\n UNION ALL ") + ")"
}

// jsonTexts is texts as a JSON array, for Dialect.JSONTexts.
func jsonTexts(texts []string) string {
	b, _ := json.Marshal(texts) // strings always marshal
	return string(b)
}

// searchProbe is a query of one column with a row for each row of the indexes that
// searchedIndexed reads (for the admin UI's query: a dispute or a word, a customer or a
// charge), to be counted as an estimate of the disputes it yields.
func searchProbe(w *conditions, x TrigramIndexes, f store.DisputeFilter, keys searchKeys) string {
	own := func(s trigramSearch) string {
		if keys.words.from != "" {
			return wordsProbe(w, keys.words)
		}
		return x.probe(w, s)
	}
	if !f.QueryRelated {
		return own(querySearch(keys.trigrams))
	}
	searched, typed, _ := searchOf(f)
	disputes, customers := relatedSearches(searched, typed, keys.trigrams, keys.customers)
	return own(disputes) + " UNION ALL " + x.probe(w, customers) +
		" UNION ALL SELECT 1 FROM transactions t WHERE " + chargeNamed(w, "t", searched, typed)
}

// searchOf returns what f's query looks for: its text lower-cased, and as typed, without the
// separator; and whether the trigram indexes can find it.
func searchOf(f store.DisputeFilter) (searched, typed string, indexed bool) {
	typed = strings.ReplaceAll(f.Query, searchSeparator, "")
	searched = strings.ToLower(typed)
	long := func(s string) bool { return utf8.RuneCountInString(s) >= trigramLength }
	return searched, typed, long(searched) && (!f.QueryRelated || long(typed))
}
