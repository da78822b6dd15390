package httpapi

import (
	"context"
	"net/url"

	"github.com/danielgtaylor/huma/v2"

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

// evidenceFileRoute registers the download and documents its answer as the file it is, in each
// kind a file may be (huma would describe a []byte body as base64 in JSON).
func (s *Server) evidenceFileRoute(o op) {
	register(s, o, s.getEvidenceFile)
	ok := s.api.OpenAPI().Paths[o.path].Get.Responses["200"]
	ok.Description = "the file as it was uploaded"
	ok.Content = map[string]*huma.MediaType{}
	for _, k := range dispute.FileKinds {
		ok.Content[k.ContentType] = &huma.MediaType{Schema: &huma.Schema{Type: "string", Format: "binary"}}
	}
}
