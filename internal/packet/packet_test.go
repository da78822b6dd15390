package packet

import (
	"bytes"
	"compress/zlib"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// pdfText is the text a PDF shows, as its content streams write it: good enough to find a
// caption or a sentence.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	var out strings.Builder
	for _, m := range regexp.MustCompile(`(?s)stream\r?\n(.*?)endstream`).FindAllSubmatch(pdf, -1) {
		r, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue // an image or an uncompressed stream
		}
		data, _ := io.ReadAll(r)
		for _, s := range regexp.MustCompile(`\((.*?)\)\s*Tj`).FindAllSubmatch(data, -1) {
			out.WriteString(strings.NewReplacer(`\(`, "(", `\)`, ")", `\\`, `\`).Replace(string(s[1])))
			out.WriteString("\n")
		}
	}
	return out.String()
}

func pngOf(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 200, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func jpegOf(t testing.TB, w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// pdfOf is a PDF of n pages, each saying its number.
func pdfOf(t *testing.T, n int) []byte {
	t.Helper()
	doc := fpdf.New("P", "mm", "A4", "")
	doc.SetFont("Helvetica", "", 14)
	for i := range n {
		doc.AddPage()
		doc.Cell(40, 10, "delivery proof page "+string(rune('1'+i)))
	}
	var b bytes.Buffer
	if err := doc.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func sample(t *testing.T) Packet {
	return Packet{
		Title: "Evidence for dispute dsp_1", Author: "Acme Hosting",
		Letter:  "Acme Hosting\n\nDispute dsp_1 concerns a payment of 49.00 USD.\n\nSincerely,\nAcme Hosting",
		Created: time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC),
		Exhibits: []Exhibit{
			{Mark: "A", Label: "Customer's IP address at purchase", Text: "203.0.113.7"},
			{Mark: "B", Label: "Access log", Text: strings.Repeat("2026-10-02 10:00 sign_in from 203.0.113.7\n", 80)},
			{Mark: "C", Label: "Delivery proof", File: &File{Name: "pod.pdf", ContentType: "application/pdf", Data: pdfOf(t, 3)}},
			{Mark: "D", Label: "Screenshot", File: &File{Name: "shot.png", ContentType: "image/png", Data: pngOf(t, 300, 200)}},
			{Mark: "E", Label: "Photo", File: &File{Name: "photo.jpg", ContentType: "image/jpeg", Data: jpegOf(t, 2400, 1600)}},
			{Mark: "F", Label: "Support chat", File: &File{Name: "chat.txt", ContentType: "text/plain", Data: []byte("Customer: thanks, it works!")}},
		},
	}
}

func TestBuildPutsTheLetterThenEveryExhibitInOrder(t *testing.T) {
	r, err := Build(sample(t))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(r.PDF, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", r.PDF[:20])
	}
	text := pdfText(t, r.PDF)
	order := []string{"Dispute dsp_1 concerns a payment of 49.00 USD.", "Exhibit A: Customer's IP address at purchase",
		"203.0.113.7", "Exhibit B: Access log", "Exhibit C: Delivery proof (pod.pdf)", "Exhibit D: Screenshot (shot.png)",
		"Exhibit E: Photo (photo.jpg)", "Exhibit F: Support chat (chat.txt)", "Customer: thanks, it works!"}
	at := 0
	for _, want := range order {
		i := strings.Index(text[at:], want)
		if i < 0 {
			t.Fatalf("the packet lacks %q after position %d:\n%s", want, at, text)
		}
		at += i
	}
	for _, want := range []string{"delivery proof page 1", "delivery proof page 3"} {
		if !strings.Contains(string(r.PDF), "delivery proof page") && !strings.Contains(text, want) {
			t.Errorf("the embedded PDF's page text %q is not in the packet", want)
		}
	}
	// Letter and A and B share the first pages; C has 3 pages; D, E one each; F one.
	byMark := map[string]ExhibitResult{}
	for _, e := range r.Exhibits {
		byMark[e.Mark] = e
	}
	if c := byMark["C"]; c.Pages != 3 || c.FirstPage <= byMark["B"].FirstPage {
		t.Errorf("exhibit C: %+v, want 3 pages after B's %+v", c, byMark["B"])
	}
	if d, e := byMark["D"], byMark["E"]; d.Pages != 1 || e.Pages != 1 || e.FirstPage != d.FirstPage+1 {
		t.Errorf("the images: %+v %+v, want a page each", d, e)
	}
	if last := byMark["F"]; last.FirstPage+last.Pages-1 != r.Pages {
		t.Errorf("the last exhibit ends on page %d of %d", last.FirstPage+last.Pages-1, r.Pages)
	}
	// The 2400×1600 photo is scaled down to 1600 pixels across before it goes in.
	if e := byMark["E"]; e.Bytes >= int64(len(sample(t).Exhibits[4].File.Data)) && e.Bytes > keepBytes {
		t.Errorf("the photo went in at %d bytes", e.Bytes)
	}
}

func TestBuildRefusesAnExhibitItCannotRead(t *testing.T) {
	for name, f := range map[string]*File{
		"broken PDF":  {Name: "x.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4\nnot really")},
		"broken PNG":  {Name: "x.png", ContentType: "image/png", Data: []byte("\x89PNG\r\n\x1a\nbroken")},
		"huge claims": {Name: "big.png", ContentType: "image/png", Data: hugeHeader(t)},
	} {
		p := Packet{Title: "t", Letter: "letter", Exhibits: []Exhibit{{Mark: "A", Label: "Note", Text: "fine"},
			{Mark: "G", Label: "Extra", File: f}}}
		_, err := Build(p)
		var ee *ExhibitError
		if !errors.As(err, &ee) || ee.Mark != "G" || ee.Name != f.Name {
			t.Errorf("%s: %v, want an ExhibitError naming exhibit G", name, err)
		}
	}
}

// hugeHeader is a PNG that claims 100,000 × 100,000 pixels.
func hugeHeader(t *testing.T) []byte {
	data := pngOf(t, 1, 1)
	// IHDR's width and height follow the 8-byte signature, the chunk length and its type.
	copy(data[16:24], []byte{0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0})
	return data
}

func TestTextDocument(t *testing.T) {
	at := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	a, err := TextDocument("Refund policy", "Acme", "Refunds within 14 days.\nNo refunds after use.", at)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, a)
	if !strings.Contains(text, "Refund policy") || !strings.Contains(text, "No refunds after use.") {
		t.Errorf("the document reads:\n%s", text)
	}
	b, _ := TextDocument("Refund policy", "Acme", "Refunds within 14 days.\nNo refunds after use.", at)
	c, _ := TextDocument("Refund policy", "Acme", "Refunds within 30 days.", at)
	if !bytes.Equal(a, b) || bytes.Equal(a, c) {
		t.Error("the same text must render the same bytes, and another text others")
	}
}
