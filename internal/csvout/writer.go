// Package csvout writes the CSV exports: RFC 4180 rows (encoding/csv's quoting, CRLF line ends)
// whose cells cannot run as spreadsheet formulas, and the columns of each exported list. It does
// no I/O of its own: the caller gives the writer and flushes it.
package csvout

import (
	"encoding/csv"
	"io"
	"strings"
)

// Writer writes the rows of one CSV document.
type Writer struct {
	csv   *csv.Writer
	cells []string // reused by Row: an export of a million rows allocates one slice
}

// NewWriter writes RFC 4180 CSV to w: fields quoted when they hold a comma, a quote or a line
// break, lines ended by CRLF. Rows are buffered until Flush.
func NewWriter(w io.Writer) *Writer {
	c := csv.NewWriter(w)
	c.UseCRLF = true
	return &Writer{csv: c}
}

// Row writes one row, each cell made safe to open in a spreadsheet (Safe).
func (w *Writer) Row(cells ...string) error {
	w.cells = w.cells[:0]
	for _, c := range cells {
		w.cells = append(w.cells, Safe(c))
	}
	return w.csv.Write(w.cells)
}

// Flush writes the buffered rows to the underlying writer and reports any error of a Row or of
// the write.
func (w *Writer) Flush() error {
	w.csv.Flush()
	return w.csv.Error()
}

// number reports whether cell is a plain decimal number as the exports write amounts: an integer
// of minor units ("-1295") or a decimal string ("-12.95"). By hand rather than by a regular
// expression: it runs on every cell of a million-row export.
func number(cell string) bool {
	cell = strings.TrimPrefix(cell, "-")
	whole, frac, dotted := strings.Cut(cell, ".")
	return digits(whole) && (!dotted || digits(frac))
}

// digits reports whether s is one or more ASCII digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Safe is cell as a spreadsheet shows it but never runs it. A spreadsheet (Excel, LibreOffice,
// Google Sheets) reads a cell that starts with =, +, - or @ as a formula, and one starting with a
// tab or carriage return can be turned into one when pasted; a formula can call out to the
// network or the shell (CSV injection, CWE-1236). Dispute reasons, descriptions and references
// come from buyers and providers, so, as OWASP advises, such a cell is prefixed with a single
// quote, which the spreadsheet takes as "text" and does not display. A plain number keeps its
// sign: "-12.95" is the refund's amount, not a formula, and a spreadsheet must be able to sum it;
// nothing but digits, one point and the leading minus can run.
func Safe(cell string) string {
	if cell == "" || number(cell) {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + cell
	}
	return cell
}
