// Package searchwords is the rule of the index of numbers and identifiers that the q filter reads
// (migration 00042): which words of a dispute's search text it holds, and which part of a query
// every text that holds the query starts a word with. It does no I/O: the store writes and reads
// the words, the migration fills them for the disputes written before it.
//
// A trigram index finds ids and numbers badly: digit trigrams are a thousand, shared by every
// case number, ARN and provider id numbered in sequence ("c-0", "-00", "000" are in almost every
// dispute, so C-00000000 is all common trigrams and took 1.7 s on SQLite at a million disputes).
// A word that holds a digit, read by its start in a B-tree, tells them apart: a query's run of
// word characters that follows another of its characters starts a word of every text that holds
// the query (the character before it is no word character, in the query as in the text).
package searchwords

import (
	"slices"
	"strings"
)

const (
	// minLength is the fewest characters of a word the index holds: a shorter start is the start
	// of too many words to tell disputes apart.
	minLength = 3
	// maxLength is the most characters of a word the index holds, its start: ids and numbers are
	// shorter (a ULID 26, an ARN 23), and a key bounded in length fits every database's index.
	maxLength = 32
)

// isWordChar tells the characters words are made of: ASCII digits and lower-case letters (the
// search text and the query are lower-cased before they are split). Every other character,
// beyond ASCII too, is between words.
func isWordChar(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' }

// afterLastWordChar is the first character after every word character, so that the words that
// start with k are those from k to k + afterLastWordChar, excluded, in byte order.
const afterLastWordChar = "{"

// Of returns the words of a lower-cased search text that the index holds, each once, in the
// order they first appear: the runs of word characters of minLength or more that hold a digit,
// each cut to its first maxLength characters.
func Of(text string) []string {
	var words []string
	for _, r := range runs(text) {
		if w, ok := held(text[r.start:r.end]); ok && !slices.Contains(words, w) {
			words = append(words, w)
		}
	}
	return words
}

// OfDispute returns the words the index holds for a dispute: those of its search text
// (lower-cased) and of its order id, which the admin UI's search matches too.
func OfDispute(search, orderID string) []string {
	return Of(search + " " + strings.ToLower(orderID))
}

// Range returns the bounds of the index's words, from included to to excluded, among which
// every text that holds query (lower-cased) has one: those that start with the longest run of
// query's word characters that follows another of its characters, has minLength characters or
// more and holds a digit, cut to maxLength. ok is false when query has no such run.
func Range(query string) (from, to string, ok bool) {
	var key string
	for _, r := range runs(query) {
		if w, ok := held(query[r.start:r.end]); ok && r.start > 0 && len(w) > len(key) {
			key = w
		}
	}
	return key, key + afterLastWordChar, key != ""
}

// held returns a run of word characters as the index holds it, cut to maxLength, and whether
// the index holds such runs: those of minLength characters or more that hold a digit.
func held(run string) (string, bool) {
	if len(run) < minLength || !hasDigit(run) {
		return "", false
	}
	return run[:min(len(run), maxLength)], true
}

// A run is the bytes start to end of a text, a maximal run of word characters.
type run struct{ start, end int }

// runs returns text's runs of word characters, in order. They are ASCII, so bytes are characters;
// a byte of a character beyond ASCII is never a word character.
func runs(text string) []run {
	var out []run
	for i := 0; i < len(text); {
		if !isWordChar(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isWordChar(text[j]) {
			j++
		}
		out = append(out, run{i, j})
		i = j
	}
	return out
}

func hasDigit(w string) bool {
	return slices.ContainsFunc([]byte(w), func(c byte) bool { return c >= '0' && c <= '9' })
}
