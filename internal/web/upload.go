package web

import (
	"io"
	"mime/multipart"
	"net/http"
	"strings"

	"disputed/internal/fault"
)

// Evidence uploads, in the admin UI and the portal alike: the API's limit per file, and the kinds
// of file a provider accepts as evidence and a reviewer can open safely, told by their content
// (what the browser claims is not trusted).
const (
	evidenceMaxFile  = 10 << 20
	evidenceMaxBody  = evidenceMaxFile + 1<<20 // the file and the form's other fields
	evidenceTooLarge = "The file is too large: evidence files are limited to 10 MiB."
)

// evidenceTypes are the accepted file types, by sniffed content type, with their names for people.
var evidenceTypes = map[string]string{
	"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WebP",
	"text/plain": "plain text",
}

// readEvidenceFile reads an uploaded file: not empty, within the limit, of an accepted type. It
// returns the bytes and the sniffed content type, or a coded error for the visitor.
func readEvidenceFile(fh *multipart.FileHeader) ([]byte, string, error) {
	unreadable := fault.New(fault.Malformed, fault.CodeMalformedRequest, "file", "the uploaded file could not be read: try again")
	if fh.Size > evidenceMaxFile {
		return nil, "", fault.New(fault.TooLarge, fault.CodeTooLarge, "file", "%s", evidenceTooLarge)
	}
	file, err := fh.Open()
	if err != nil {
		return nil, "", unreadable
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, evidenceMaxFile+1))
	switch {
	case err != nil:
		return nil, "", unreadable
	case len(data) > evidenceMaxFile:
		return nil, "", fault.New(fault.TooLarge, fault.CodeTooLarge, "file", "%s", evidenceTooLarge)
	case len(data) == 0:
		return nil, "", fault.Invalidf(fault.CodeInvalidValue, "file", "The file is empty.")
	}
	ct, _, _ := strings.Cut(http.DetectContentType(data), ";")
	if _, ok := evidenceTypes[ct]; !ok {
		return nil, "", fault.New(fault.Unsupported, fault.CodeUnsupportedMediaType, "file",
			"This kind of file (%s) is not accepted as evidence: send a PDF, an image (PNG, JPEG, GIF, WebP) or plain text.", ct)
	}
	return data, ct, nil
}
