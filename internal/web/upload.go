package web

import (
	"io"
	"mime/multipart"

	"disputed/internal/dispute"
	"disputed/internal/fault"
)

// Evidence uploads, in the admin UI and the portal alike: the form's limit is one file of the
// largest size dispute.CheckFile takes, and the form's other fields. What a file may be is
// decided by dispute.CheckFile, for the API and the UI alike, when the item is added.
const (
	evidenceMaxBody  = dispute.MaxFileBytes + 1<<20
	evidenceTooLarge = "The file is too large: evidence files are limited to 10 MiB."
)

// readUploadedFile reads the bytes of an uploaded file, at most one byte past the largest file
// taken, so that a file over it is refused by the one rule rather than read whole.
func readUploadedFile(fh *multipart.FileHeader) ([]byte, error) {
	unreadable := fault.New(fault.Malformed, fault.CodeMalformedRequest, "file", "the uploaded file could not be read: try again")
	file, err := fh.Open()
	if err != nil {
		return nil, unreadable
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, dispute.MaxFileBytes+1))
	if err != nil {
		return nil, unreadable
	}
	return data, nil
}
