package web

import (
	"net/http"
	"net/url"

	"disputed/internal/dispute"
	"disputed/internal/safefile"
)

// fileLink is where a page opens an evidence item's file, and whether it is an image to show as
// a thumbnail; URL is empty for an item without a file.
type fileLink struct {
	URL   string
	Image bool
}

// linkOf is the link to an item's file under prefix: "" for the admin UI, "/portal" for the
// parties' portal.
func linkOf(prefix string, it dispute.EvidenceItem) fileLink {
	if !it.HasFile() {
		return fileLink{}
	}
	return fileLink{URL: filePath(prefix, it.DisputeID, it.ID), Image: dispute.IsImage(it.ContentType)}
}

// filePath is where the file of an evidence item is served under prefix.
func filePath(prefix, disputeID, itemID string) string {
	return prefix + "/disputes/" + url.PathEscape(disputeID) + "/evidence/" + url.PathEscape(itemID) + "/file"
}

// evidenceFile serves an evidence item's file to whoever may see the item (app.EvidenceFile
// decides, as for the API), with the headers of safefile.
func (s *Server) evidenceFile(w http.ResponseWriter, r *http.Request) {
	it, data, err := s.app.EvidenceFile(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"), r.PathValue("item"))
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	safefile.Serve(w, it, data)
}
