package web

import (
	"net/http"
	"unicode/utf8"

	"disputed/internal/dispute"
	"disputed/internal/store"
)

// A dispute's page stays small however much evidence the dispute holds: it shows its evidence
// items a page at a time (?evidence_page=N), each text cut at evidenceCut characters with a link
// to the same page showing that item whole (?full=<item id>).
const (
	evidencePerPage = 20
	evidenceCut     = 2000
)

// evidencePager is where a dispute page is in its evidence: the page of items, and the item
// shown whole.
type evidencePager struct {
	pager
	Full string
}

// readEvidencePage reads ?evidence_page= and ?full= and returns the store page they ask for.
func readEvidencePage(r *http.Request) (store.Page, evidencePager) {
	pg, nav := pageParam(r, "evidence_page", evidencePerPage)
	return pg, evidencePager{pager: nav, Full: r.URL.Query().Get("full")}
}

// cutItem is an item's text as a page shows it: cut at evidenceCut characters unless it is the
// item shown whole, and whether it was cut.
func (p evidencePager) cutItem(it dispute.EvidenceItem) (string, bool) {
	if it.ID == p.Full || utf8.RuneCountInString(it.Content) <= evidenceCut {
		return it.Content, false
	}
	n := 0
	for i := range it.Content {
		if n == evidenceCut {
			return it.Content[:i], true
		}
		n++
	}
	return it.Content, false
}
