package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// The words of a dispute's search text and order id that hold a digit (package searchwords) are
// kept in dispute_words (migrations 00042 and 00045) in the transaction that writes them, so that the q filter
// finds a case number, an ARN or an id by the start of a word: the trigram index reads, for
// C-00000000, the row lists of "c-0", "-00" and "000", which almost every dispute holds (1.7 s on
// SQLite at a million disputes).

// wordsAtMost is the most words a q's range may hold for its disputes to be read through them:
// more than the sortAtMost a filter's index may yield, because a word's dispute may not hold the
// q (C-0001 starts 10,500 words, of 10,000 case numbers and 500 references), is checked and
// dropped without being sorted, and the ways left cost more than reading it (C-0001, 10,000 old
// disputes: 5.9 s through the trigram index on SQLite at a million disputes).
const wordsAtMost = 4 * sortAtMost

// wordsPerStatement bounds the rows of a statement that writes or removes words, and so the
// statements of each kind the cache keeps (one per number of rows).
const wordsPerStatement = 16

// writeWords makes dispute id's words held, which were had: the words it gained are added,
// those it lost removed, and the others, usually all, left alone.
func (t *tx) writeWords(ctx context.Context, id string, held, had []string) error {
	gained := slices.DeleteFunc(slices.Clone(held), func(w string) bool { return slices.Contains(had, w) })
	lost := slices.DeleteFunc(slices.Clone(had), func(w string) bool { return slices.Contains(held, w) })
	for part := range slices.Chunk(lost, wordsPerStatement) {
		q := "DELETE FROM dispute_words WHERE dispute_id = $1 AND word IN (" + params(2, len(part), "$%d") + ")"
		if _, err := t.execBuilt(ctx, q, append([]any{id}, anys(part)...)); err != nil {
			return fmt.Errorf("remove the words %q: %w", part, err)
		}
	}
	for part := range slices.Chunk(gained, wordsPerStatement) {
		// ON CONFLICT: a text stored by an older rule of the search text may already hold a word.
		q := "INSERT INTO dispute_words (dispute_id, word) VALUES " + params(2, len(part), "($1, $%d)") + " ON CONFLICT DO NOTHING"
		if _, err := t.execBuilt(ctx, q, append([]any{id}, anys(part)...)); err != nil {
			return fmt.Errorf("add the words %q: %w", part, err)
		}
	}
	return nil
}

// params is n parameters from $first on, each written in format, joined by commas.
func params(first, n int, format string) string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(format, first+i)
	}
	return strings.Join(out, ", ")
}

func anys(words []string) []any {
	out := make([]any, len(words))
	for i, w := range words {
		out[i] = w
	}
	return out
}

// wordsTerm is the term over disputes that holds for those with a word in r, read from
// dispute_words' key.
func wordsTerm(w *conditions, r wordRange) string {
	return "disputes.id IN (" + wordsDisputes(w, r) + ")"
}

// wordsDisputes is a query of the disputes, one column, that have a word in r, once per word.
func wordsDisputes(w *conditions, r wordRange) string {
	return "SELECT dispute_id FROM dispute_words WHERE " + wordsIn(w, r)
}

// wordsProbe is a query of one column with a row per word in r, to be counted.
func wordsProbe(w *conditions, r wordRange) string {
	return "SELECT 1 FROM dispute_words WHERE " + wordsIn(w, r)
}

func wordsIn(w *conditions, r wordRange) string {
	return "word >= " + w.arg(r.from) + " AND word < " + w.arg(r.to)
}

// A wordRange is the words from from, included, to to, excluded (searchwords.Range).
type wordRange struct{ from, to string }
