package dispute

import (
	"testing"

	"disputed/internal/fault"
)

// FuzzCheckFile: any upload is either refused with a coded error naming the file or its type,
// or kept as one of the accepted kinds, as an image exactly when it is one, under a clean name;
// and its page count is at least one.
func FuzzCheckFile(f *testing.F) {
	f.Add("image", "photo.png", pngBytes)
	f.Add("file", "a.pdf", pdfBytes)
	f.Add("", "page.html", htmlBytes)
	f.Add("text", "x.txt", []byte("hello"))
	f.Add("", "../../etc/passwd\x00", []byte("%PDF-1.7\n/Type/Pages/Count 99999999999999999999\n"))
	f.Fuzz(func(t *testing.T, declared, name string, data []byte) {
		got, err := CheckFile(ItemType(declared), name, data)
		if err != nil {
			if fe, ok := fault.As(err); !ok || (fe.Param != "file" && fe.Param != "type") || fe.Code == "" {
				t.Fatalf("refusal %v is not a coded error naming the file", err)
			}
			return
		}
		kind := false
		for _, k := range FileKinds {
			kind = kind || k.ContentType == got.ContentType
		}
		if !kind || (got.Type == ItemImage) != IsImage(got.ContentType) || got.Name == "" || len(got.Name) > maxFileName || CleanFileName(got.Name) != got.Name {
			t.Fatalf("kept %+v", got)
		}
		if Pages(got.ContentType, data) < 1 {
			t.Fatalf("%d pages", Pages(got.ContentType, data))
		}
	})
}
