package httpapi

import (
	"context"
	"net/url"

	"disputed/internal/dispute"
	"disputed/internal/safefile"
)

// EvidenceFileIn names the evidence item whose file is downloaded.
type EvidenceFileIn struct {
	ID   string `path:"id" maxLength:"64"`
	Item string `path:"item" maxLength:"64"`
}

// EvidenceFileOut is the file as it was uploaded, with the headers of safefile: its type as
// sniffed when it was added, inline only for images and PDF, never sniffed again, sandboxed.
type EvidenceFileOut struct {
	ContentType           string `header:"Content-Type"`
	ContentDisposition    string `header:"Content-Disposition"`
	XContentTypeOptions   string `header:"X-Content-Type-Options"`
	ContentSecurityPolicy string `header:"Content-Security-Policy"`
	CacheControl          string `header:"Cache-Control"`
	Body                  []byte
}

// evidenceFilePath is where an item's file is downloaded: its file_url.
func evidenceFilePath(it dispute.EvidenceItem) string {
	return "/v1/disputes/" + url.PathEscape(it.DisputeID) + "/evidence/" + url.PathEscape(it.ID) + "/file"
}

func (s *Server) getEvidenceFile(ctx context.Context, in *EvidenceFileIn) (*EvidenceFileOut, error) {
	it, data, err := s.app.EvidenceFile(ctx, who(ctx), in.ID, in.Item)
	if err != nil {
		return nil, err
	}
	h := safefile.Headers(it)
	return &EvidenceFileOut{ContentType: h.Get("Content-Type"), ContentDisposition: h.Get("Content-Disposition"),
		XContentTypeOptions: h.Get("X-Content-Type-Options"), ContentSecurityPolicy: h.Get("Content-Security-Policy"),
		CacheControl: h.Get("Cache-Control"), Body: data}, nil
}
