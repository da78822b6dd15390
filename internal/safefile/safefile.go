// Package safefile holds the response headers an evidence file is served with, by the API and
// the UI alike. An evidence file comes from whoever added it, buyer and vendor included, and is
// opened by the people deciding the case: it must never run in their session. So the stored
// (sniffed) type is sent and never re-guessed, only images and PDF open in the browser, and the
// file gets a sandbox of its own.
package safefile

import (
	"mime"
	"net/http"

	"disputed/internal/dispute"
)

// Policy is the Content-Security-Policy of a served file: a sandbox (no scripts, no forms, an
// origin of its own), nothing loaded but the file's own images and inline styles.
const Policy = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"

// Headers are the headers of a served evidence file: its stored type, inline for images and PDF
// and a download for the rest (under a name that cannot break the header), no sniffing, the
// sandbox, and a private cache (items never change, but who may see them can).
func Headers(it dispute.EvidenceItem) http.Header {
	h := http.Header{}
	ct := it.ContentType
	if ct == "text/plain" {
		ct += "; charset=utf-8" // as sniffed: text is taken only when it reads as UTF-8
	}
	h.Set("Content-Type", ct)
	disposition := "attachment"
	if dispute.ShownInline(it.ContentType) {
		disposition = "inline"
	}
	if v := mime.FormatMediaType(disposition, map[string]string{"filename": dispute.CleanFileName(it.FileName)}); v != "" {
		disposition = v
	}
	h.Set("Content-Disposition", disposition)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", Policy)
	h.Set("Cache-Control", "private, max-age=300")
	return h
}

// Serve writes an evidence file with its headers.
func Serve(w http.ResponseWriter, it dispute.EvidenceItem, data []byte) {
	for k, vs := range Headers(it) {
		w.Header()[k] = vs
	}
	_, _ = w.Write(data)
}
