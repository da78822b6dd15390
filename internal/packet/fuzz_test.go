package packet

import (
	"errors"
	"testing"
)

// FuzzBuildFile puts an uploaded file of any bytes in a packet, as each kind the sniffer may
// call it: the packet is built, or the exhibit is refused by name; the server never panics.
func FuzzBuildFile(f *testing.F) {
	f.Add([]byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"), "application/pdf")
	f.Add(pngOf(nil, 2, 2), "image/png")
	f.Add(jpegOf(nil, 2, 2), "image/jpeg")
	f.Add([]byte("GIF89a"), "image/gif")
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBPVP8 "), "image/webp")
	f.Add([]byte("hello"), "text/plain")
	f.Fuzz(func(t *testing.T, data []byte, kind string) {
		switch kind {
		case "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "text/plain":
		default:
			return
		}
		_, err := Build(Packet{Title: "t", Letter: "l", Exhibits: []Exhibit{{Mark: "A", Label: "File",
			File: &File{Name: "f", ContentType: kind, Data: data}}}})
		var ee *ExhibitError
		if err != nil && (!errors.As(err, &ee) || ee.Mark != "A") {
			t.Fatalf("%s: %v, want the packet or an ExhibitError naming exhibit A", kind, err)
		}
	})
}
