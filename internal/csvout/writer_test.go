package csvout

import (
	"bytes"
	"encoding/csv"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestSafe(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"plain text", "plain text"},
		{"=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"},
		{"+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"},
		{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"-1295", "-1295"},     // minor units of a negative amount: a number a spreadsheet can sum
		{"-12.95", "-12.95"},   // its decimal form
		{"1295", "1295"},       //
		{"-", "'-"},            // a lone minus is no number
		{"-12.", "'-12."},      // nor a trailing point
		{"-1e5", "'-1e5"},      // nor an exponent
		{"a=1", "a=1"},         // only the first character counts
		{"'quoted", "'quoted"}, // already text
	} {
		if got := Safe(tc.in); got != tc.want {
			t.Errorf("Safe(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWriterQuotesAndEndsLinesWithCRLF(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	w := NewWriter(&b)
	rows := [][]string{{"id", "description", "amount"}, {"dsp_1", "said \"no\", twice\nthen left", "-1295"}, {"dsp_2", "=cmd", ""}}
	for _, r := range rows {
		if err := w.Row(r...); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "id,description,amount\r\n" +
		"dsp_1,\"said \"\"no\"\", twice\r\nthen left\",-1295\r\n" + // a line break inside a field is CRLF too
		"dsp_2,'=cmd,\r\n"
	if got := b.String(); got != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestFlushReportsTheWriteError(t *testing.T) {
	t.Parallel()
	w := NewWriter(failingWriter{})
	if err := w.Row("a"); err != nil {
		t.Fatal(err) // buffered: nothing written yet
	}
	if err := w.Flush(); err == nil {
		t.Fatal("Flush hid the failed write")
	}
}

// FuzzRow checks that any cells make one record that reads back as the safe cells, and that no
// cell read back can start a formula unless it is a plain number.
func FuzzRow(f *testing.F) {
	f.Add("dsp_1", "=1+1", "-12.95")
	f.Add("a,b", "\"q\"", "line\r\nbreak")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		var buf bytes.Buffer
		w := NewWriter(&buf)
		if err := w.Row(a, b, c); err != nil {
			t.Skip(err) // encoding/csv refuses invalid UTF-8 in no case, but may refuse a quote char setting
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(&buf)
		r.FieldsPerRecord = 3
		got, err := r.ReadAll()
		if err != nil {
			t.Fatalf("unreadable %q: %v", buf.String(), err)
		}
		if len(got) != 1 {
			t.Fatalf("%d records from one row: %q", len(got), buf.String())
		}
		want := []string{Safe(a), Safe(b), Safe(c)}
		// With CRLF line ends encoding/csv writes a line break in a field as CRLF, read back as
		// \n, and drops a carriage return of its own (a lone one has no meaning in a cell).
		for i := range want {
			want[i] = strings.ReplaceAll(want[i], "\r", "")
		}
		if !slices.Equal(got[0], want) {
			t.Fatalf("read back %q, want %q", got[0], want)
		}
		for _, cell := range got[0] {
			if cell != "" && !number(cell) && bytes.ContainsRune([]byte("=+-@\t\r"), rune(cell[0])) {
				t.Fatalf("cell %q can run as a formula", cell)
			}
		}
	})
}
