package packet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
)

// The PDF importer (gofpdi) trusts the file it reads: it allocates what a stream's /Length or an
// xref stream's /W says, loops until a token it expects turns up (for ever, at the end of a
// truncated file) and panics on what it cannot parse. Evidence files come from outside, so a PDF
// is checked before it is handed over, and read through a reader that stops a runaway parse.

// maxPDFPages is the most pages one PDF exhibit may have: no provider takes more than 50 pages in
// all, and importing thousands would tie up the server for nothing.
const maxPDFPages = 200

var (
	directLength   = regexp.MustCompile(`/Length\s+(\d+)(\s+(\d+)\s+R)?`)
	xrefWidths     = regexp.MustCompile(`/W\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s*\]`)
	errRunawayRead = errors.New("the PDF's structure leads the reader in circles")
)

// checkPDF refuses a PDF whose declared sizes the importer would trust beyond the file: a stream
// longer than the file, a length kept in an object that cannot be found, xref fields wider than
// 8 bytes.
func checkPDF(data []byte) error {
	if !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.Contains(data[max(0, len(data)-1500):], []byte("startxref")) {
		return errors.New("the file is not a complete PDF (no header or no cross-reference pointer at its end)")
	}
	for _, m := range directLength.FindAllSubmatch(data, -1) {
		n, err := strconv.Atoi(string(m[1]))
		if m[2] != nil {
			n, err = indirectInt(data, string(m[1]), string(m[3]))
		}
		if err != nil || n > len(data) {
			return fmt.Errorf("a stream claims a length the file does not have")
		}
	}
	for _, m := range xrefWidths.FindAllSubmatch(data, -1) {
		for _, w := range m[1:] {
			if n, err := strconv.Atoi(string(w)); err != nil || n > 8 {
				return errors.New("the cross-reference stream has fields wider than 8 bytes")
			}
		}
	}
	return nil
}

// indirectInt is the integer object "id gen obj N endobj" holds.
func indirectInt(data []byte, id, gen string) (int, error) {
	re, err := regexp.Compile(`(?:^|\s)` + id + `\s+` + gen + `\s+obj\s*(\d+)\s*endobj`)
	if err != nil {
		return 0, err
	}
	m := re.FindSubmatch(data)
	if m == nil {
		return 0, errors.New("not found")
	}
	return strconv.Atoi(string(m[1]))
}

// budgetReader reads a PDF for the importer and panics with errRunawayRead once the importer has
// read far more than the file holds (a cycle in its object graph), or kept reading at its end.
type budgetReader struct {
	r      *bytes.Reader
	budget int64
	atEOF  int
}

func newBudgetReader(data []byte) *budgetReader {
	// Importing every page reads each object a few times; 64 times the file is far beyond that.
	return &budgetReader{r: bytes.NewReader(data), budget: 64*int64(len(data)) + 1<<20}
}

func (b *budgetReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.budget -= int64(n)
	if err == io.EOF {
		b.atEOF++
	}
	if b.budget < 0 || b.atEOF > 1000 {
		panic(errRunawayRead)
	}
	return n, err
}

func (b *budgetReader) Seek(offset int64, whence int) (int64, error) { return b.r.Seek(offset, whence) }
