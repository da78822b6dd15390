package searchwords

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestOf: the words held are the runs of ASCII digits and letters of three characters or more
// that hold a digit, each once, cut to 32 characters; other characters (beyond ASCII too) part
// them.
func TestOf(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"dsp_01kt9zq\x1ffraudulent\x1fc-00012345\x1f74000000000000000012345\x1fdp_0000012345",
			[]string{"01kt9zq", "00012345", "74000000000000000012345", "0000012345"}},
		{"a1 ab1 abc1 12 123", []string{"ab1", "abc1", "123"}},
		{"no digits here", nil},
		{"x9x-x9x x9x", []string{"x9x"}},
		{"élodie42é7ab", []string{"lodie42", "7ab"}},
		{strings.Repeat("7", 40) + " " + strings.Repeat("a", 35) + "1", []string{strings.Repeat("7", 32), strings.Repeat("a", 32)}},
	} {
		if got := Of(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("Of(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestOfDispute: a dispute's words are its search text's and its order id's, lower-cased.
func TestOfDispute(t *testing.T) {
	got := OfDispute("dsp_01kt9zq\x1fc-00012345", "ORD-A1B2c3")
	if want := []string{"01kt9zq", "00012345", "a1b2c3"}; !slices.Equal(got, want) {
		t.Errorf("OfDispute = %q, want %q", got, want)
	}
}

// TestRange: the key is the longest run that follows another character of the query, has three
// characters or more and a digit; the first run, which may end a word, is never the key.
func TestRange(t *testing.T) {
	for _, tt := range []struct {
		query, key string
	}{
		{"c-00000000", "00000000"},
		{"dsp_01kt9zqab", "01kt9zqab"},
		{"-123", "123"},
		{"ab-cd1-00012345-x", "00012345"},
		{"x-12-abc-a1b", "a1b"},
		{"00012345", ""}, // one run: it may be the inside of a word
		{"c-12", ""},
		{"c-abcd", ""},
		{"é123", "123"},
		{"-" + strings.Repeat("9", 40), strings.Repeat("9", 32)},
	} {
		from, to, ok := Range(tt.query)
		if ok != (tt.key != "") || from != tt.key || ok && to != tt.key+"{" {
			t.Errorf("Range(%q) = %q, %q, %v, want the key %q", tt.query, from, to, ok, tt.key)
		}
	}
}

// TestRangeFindsEveryHolder: every text that holds a query has a word in the query's range, for
// random texts of digits, letters, separators and characters beyond ASCII, and every part of
// them as the query.
func TestRangeFindsEveryHolder(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"0", "0", "0", "1", "7", "a", "c", "z", "-", "_", " ", "é", "\x1f", "{", "/"}
	keyed := 0
	for range 3000 {
		var b strings.Builder
		for range rnd.IntN(60) {
			b.WriteString(alphabet[rnd.IntN(len(alphabet))])
		}
		text := b.String()
		words := Of(text)
		for i := 0; i < len(text); i++ {
			for j := i + 1; j <= len(text); j++ {
				from, to, ok := Range(text[i:j])
				if !ok {
					continue
				}
				keyed++
				if !slices.ContainsFunc(words, func(w string) bool { return w >= from && w < to }) {
					t.Fatalf("%q holds %q, but none of its words %q is in [%q, %q)", text, text[i:j], words, from, to)
				}
			}
		}
	}
	if keyed < 10000 {
		t.Fatalf("only %d queries had a key: the test tells little", keyed)
	}
}
