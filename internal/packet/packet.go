// Package packet renders a dispute's evidence as one PDF an issuer reads: the cover letter first,
// then every exhibit in order, each under a caption naming its letter and what it is. Text
// exhibits flow one after another; an image gets a page of its own, scaled to fit and, when it
// is large, re-encoded smaller; a PDF exhibit's pages are embedded as they are. Whether the packet
// fits where it goes is the dispute package's rule (dispute.FitPacket), on the pages and bytes
// reported here. The PDF is written with fpdf (codeberg.org/go-pdf/fpdf) and PDF pages are
// imported with its gofpdi companion; nothing here reads or writes storage.
package packet

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"codeberg.org/go-pdf/fpdf/contrib/gofpdi"
)

// Packet is what goes into the PDF.
type Packet struct {
	Title    string // the document's title: "Evidence for dispute dsp_…"
	Author   string // the merchant
	Letter   string // the cover letter, plain text; paragraphs separated by blank lines
	Exhibits []Exhibit
	Created  time.Time // when it was made, written into the PDF's information
}

// Exhibit is one attachment: a text, or a file.
type Exhibit struct {
	Mark  string // "A", "B", …
	Label string // what it is, in words: "Customer's IP address at purchase"
	Text  string // a text field's value; empty for a file
	File  *File
}

// File is an uploaded evidence file.
type File struct {
	Name        string
	ContentType string // sniffed: application/pdf, image/png, image/jpeg, image/gif, image/webp, text/plain
	Data        []byte
}

// Result is the rendered packet.
type Result struct {
	PDF      []byte
	Pages    int
	Exhibits []ExhibitResult
}

// ExhibitResult is where an exhibit landed and what it weighs.
type ExhibitResult struct {
	Mark, Label string
	FirstPage   int
	Pages       int   // pages it starts or fills (a text exhibit sharing a page counts that page)
	Bytes       int64 // what it adds to the PDF, about: its file as embedded, or its text
}

// ExhibitError is an exhibit that cannot go into a packet: a file that does not read as its kind.
type ExhibitError struct {
	Mark, Label, Name string
	Reason            string
}

func (e *ExhibitError) Error() string {
	return fmt.Sprintf("exhibit %s (%s, %s) cannot be put in the packet: %s", e.Mark, e.Label, e.Name, e.Reason)
}

const (
	margin     = 20.0 // mm
	fontSize   = 12.0 // points: issuers ask for 12-point text or larger
	lineHeight = 6.0  // mm, for 12-point text
)

// Build renders p. The only error is an *ExhibitError.
func Build(p Packet) (Result, error) {
	w := newWriter(p.Title, p.Author, p.Created)
	w.doc.AddPage()
	w.paragraphs(p.Letter)
	res := Result{}
	for _, ex := range p.Exhibits {
		r, err := w.exhibit(ex)
		if err != nil {
			return Result{}, err
		}
		res.Exhibits = append(res.Exhibits, r)
	}
	pdf, err := w.output()
	if err != nil {
		return Result{}, err
	}
	res.PDF, res.Pages = pdf, w.doc.PageCount()
	return res, nil
}

// TextDocument renders a text as a PDF of its own, under its title: a receipt, a policy, an
// email log, for a provider's evidence field that takes a file. The same text renders the same
// bytes, so that a document compiled again can be told from a changed one.
func TextDocument(title, author, text string, created time.Time) ([]byte, error) {
	w := newWriter(title, author, created)
	w.doc.AddPage()
	w.caption(title)
	w.paragraphs(text)
	return w.output()
}

func newWriter(title, author string, created time.Time) *writer {
	doc := fpdf.New("P", "mm", "Letter", "")
	doc.SetMargins(margin, margin, margin)
	doc.SetAutoPageBreak(true, margin)
	doc.SetTitle(title, true)
	doc.SetAuthor(author, true)
	doc.SetCreator("disputed", true)
	if created.IsZero() {
		created = time.Unix(0, 0)
	}
	doc.SetCreationDate(created)
	doc.SetModificationDate(created)
	doc.SetCatalogSort(true)
	tr := doc.UnicodeTranslatorFromDescriptor("") // cp1252: the core fonts' encoding
	doc.SetFooterFunc(func() {
		doc.SetY(-margin + 5)
		doc.SetFont("Helvetica", "", 9)
		doc.CellFormat(0, 5, tr(fmt.Sprintf("%s · page %d", title, doc.PageNo())), "", 0, "C", false, 0, "")
	})
	return &writer{doc: doc, tr: tr, importer: gofpdi.NewImporter()}
}

func (w *writer) output() ([]byte, error) {
	if err := w.doc.Error(); err != nil {
		return nil, fmt.Errorf("packet: %w", err)
	}
	var out bytes.Buffer
	if err := w.doc.Output(&out); err != nil {
		return nil, fmt.Errorf("packet: %w", err)
	}
	return out.Bytes(), nil
}

type writer struct {
	doc      *fpdf.Fpdf
	tr       func(string) string
	importer *gofpdi.Importer
	images   int
}

// exhibit writes one exhibit under its caption.
func (w *writer) exhibit(ex Exhibit) (ExhibitResult, error) {
	r := ExhibitResult{Mark: ex.Mark, Label: ex.Label}
	caption := fmt.Sprintf("Exhibit %s: %s", ex.Mark, ex.Label)
	if ex.File != nil {
		caption += " (" + ex.File.Name + ")"
	}
	switch {
	case ex.File == nil || ex.File.ContentType == "text/plain":
		text := ex.Text
		if ex.File != nil {
			text = string(ex.File.Data)
		}
		w.startBlock()
		r.FirstPage = w.doc.PageNo()
		w.caption(caption)
		w.paragraphs(text)
		r.Bytes = int64(len(text))
	case ex.File.ContentType == "application/pdf":
		w.doc.AddPage()
		r.FirstPage = w.doc.PageNo()
		w.caption(caption)
		if err := w.pdfPages(ex); err != nil {
			return r, err
		}
		r.Bytes = int64(len(ex.File.Data))
	default:
		w.doc.AddPage()
		r.FirstPage = w.doc.PageNo()
		w.caption(caption)
		n, err := w.image(ex)
		if err != nil {
			return r, err
		}
		r.Bytes = n
	}
	r.Pages = w.doc.PageNo() - r.FirstPage + 1
	return r, nil
}

// startBlock leaves a gap after what came before, or starts a page when too little of this one
// is left for a caption and a few lines.
func (w *writer) startBlock() {
	_, pageHeight := w.doc.GetPageSize()
	if w.doc.GetY() > pageHeight-margin-4*lineHeight {
		w.doc.AddPage()
		return
	}
	w.doc.Ln(lineHeight)
}

func (w *writer) caption(s string) {
	w.doc.SetFont("Helvetica", "B", fontSize)
	w.doc.MultiCell(0, lineHeight, w.tr(s), "B", "L", false)
	w.doc.Ln(2)
}

// paragraphs writes text, keeping its line breaks.
func (w *writer) paragraphs(text string) {
	w.doc.SetFont("Helvetica", "", fontSize)
	text = strings.ReplaceAll(strings.TrimRight(text, "\n"), "\r\n", "\n")
	w.doc.MultiCell(0, lineHeight, w.tr(strings.ReplaceAll(text, "\t", "    ")), "", "L", false)
}

// pdfPages embeds each page of a PDF exhibit on a page of its own, scaled to the space under
// the caption on the first and to the whole page after.
func (w *writer) pdfPages(ex Exhibit) (err error) {
	refuse := func(reason string) error {
		return &ExhibitError{Mark: ex.Mark, Label: ex.Label, Name: ex.File.Name, Reason: reason}
	}
	if err := checkPDF(ex.File.Data); err != nil {
		return refuse(err.Error())
	}
	defer func() {
		// gofpdi panics on a PDF it cannot read (and budgetReader stops a runaway read with a
		// panic): an uploaded file must not take the server down.
		if p := recover(); p != nil {
			err = refuse(fmt.Sprintf("the PDF cannot be read (%v)", p))
		}
	}()
	var rs io.ReadSeeker = newBudgetReader(ex.File.Data)
	first := w.importer.ImportPageFromStream(w.doc, &rs, 1, "/MediaBox")
	sizes := w.importer.GetPageSizes()
	if len(sizes) > maxPDFPages {
		return refuse(fmt.Sprintf("the PDF has %d pages, more than %d", len(sizes), maxPDFPages))
	}
	for page := 1; page <= len(sizes); page++ {
		tpl := first
		if page > 1 {
			w.doc.AddPage()
			tpl = w.importer.ImportPageFromStream(w.doc, &rs, page, "/MediaBox")
		}
		box := sizes[page]["/MediaBox"]
		x, y, width, height := w.fit(box["w"], box["h"])
		w.importer.UseImportedTemplate(w.doc, tpl, x, y, width, height)
	}
	return w.doc.Error()
}

// fit places a w×h (any unit) picture in the space left on the page, keeping its proportions.
func (w *writer) fit(pw, ph float64) (x, y, width, height float64) {
	pageWidth, pageHeight := w.doc.GetPageSize()
	top := w.doc.GetY()
	boxW, boxH := pageWidth-2*margin, pageHeight-margin-top
	if pw <= 0 || ph <= 0 {
		return margin, top, boxW, boxH
	}
	scale := min(boxW/pw, boxH/ph)
	width, height = pw*scale, ph*scale
	return margin + (boxW-width)/2, top, width, height
}
