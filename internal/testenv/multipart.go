package testenv

import (
	"bytes"
	"mime/multipart"
	"net/textproto"
	"testing"
)

// Multipart builds a multipart/form-data body of the fields and, when name is not "", one part
// "file" named name with data of contentType (none when ""); it returns the body and its
// Content-Type, e.g. for an evidence upload:
//
//	body, ct := testenv.Multipart(t, map[string]string{"description": "box"}, "box.png", "image/png", png)
//	c.Post(path, body, "Content-Type", ct)
func Multipart(t testing.TB, fields map[string]string, name, contentType string, data []byte) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if name != "" {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="file"; filename="`+name+`"`)
		if contentType != "" {
			h.Set("Content-Type", contentType)
		}
		part, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := part.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), w.FormDataContentType()
}
