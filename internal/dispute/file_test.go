package dispute

import (
	"bytes"
	"strings"
	"testing"

	"disputed/internal/fault"
)

var (
	pngBytes  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")
	pdfBytes  = []byte("%PDF-1.4\n1 0 obj <</Type /Page>> endobj\n")
	htmlBytes = []byte("<html><script>alert(1)</script></html>")
)

// TestCheckFileByContent: the type is the content's, never the client's; a disguised page, an
// empty or a too large file is refused naming "file" with the status the API and the UI give.
func TestCheckFileByContent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		declared ItemType
		data     []byte
		kind     fault.Kind // 0 (Internal) when accepted
		wantType ItemType
		wantCT   string
	}{
		{"an image is an image", "", pngBytes, 0, ItemImage, "image/png"},
		{"an image sent as a file is shown as one", ItemFile, pngBytes, 0, ItemImage, "image/png"},
		{"a PDF", ItemFile, pdfBytes, 0, ItemFile, "application/pdf"},
		{"plain text", "", []byte("chat log\n"), 0, ItemFile, "text/plain"},
		{"HTML named photo.png", ItemImage, htmlBytes, fault.Unsupported, "", ""},
		{"a PDF claimed as an image", ItemImage, pdfBytes, fault.Invalid, "", ""},
		{"a file as a link", ItemLink, pdfBytes, fault.Invalid, "", ""},
		{"empty", "", nil, fault.Invalid, "", ""},
		{"too large", "", append(bytes.Clone(pdfBytes), make([]byte, MaxFileBytes)...), fault.TooLarge, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, err := CheckFile(tt.declared, `C:\Users\ada\photo.png`, tt.data)
			if tt.kind != 0 {
				fe, ok := fault.As(err)
				if !ok || fe.Kind != tt.kind || (fe.Param != "file" && fe.Param != "type") {
					t.Fatalf("CheckFile = %v, want a %v error naming the file", err, tt.kind)
				}
				return
			}
			if err != nil || f.Type != tt.wantType || f.ContentType != tt.wantCT || f.Name != "photo.png" {
				t.Fatalf("CheckFile = %+v, %v; want %s %s photo.png", f, err, tt.wantType, tt.wantCT)
			}
		})
	}
}

func TestShownInline(t *testing.T) {
	t.Parallel()
	for ct, want := range map[string]bool{"image/png": true, "application/pdf": true, "text/plain": false, "text/html": false} {
		if ShownInline(ct) != want {
			t.Errorf("ShownInline(%s) = %t", ct, !want)
		}
	}
	if got := CleanFileName("../../\x00" + strings.Repeat("é", 150)); len(got) > 200 || strings.ContainsAny(got, "/\x00") {
		t.Errorf("CleanFileName = %q", got)
	}
	// A name cut at 200 bytes does not end on the space the cut reached; a parent directory is
	// no name.
	for name, want := range map[string]string{strings.Repeat("a", 199) + " b": strings.Repeat("a", 199), "a/..": "upload"} {
		if got := CleanFileName(name); got != want {
			t.Errorf("CleanFileName(%.20q…) = %.20q…, want %.20q…", name, got, want)
		}
	}
}
