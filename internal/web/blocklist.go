package web

import (
	"net/http"
	"strings"

	"disputed/internal/app"
	"disputed/internal/store"
)

// The block list page: what keeps a customer from opening new orders (emails, card
// fingerprints, IP addresses, customer ids), added by hand or by a dispute when the settings
// say so, with its add form and unblock buttons. Staff, as in the API.

const blocksPP = 50

// blockKinds are the kinds of block-list entries, in the order the form offers them.
var blockKinds = []choice{
	{Value: "email", Label: "Email"},
	{Value: "card_fingerprint", Label: "Card fingerprint"},
	{Value: "ip", Label: "IP address"},
	{Value: "customer", Label: "Customer id"},
}

type blockForm struct{ Kind, Value, Reason, Error string }

type blocklistPage struct {
	Blocks  []store.Block
	Kinds   []choice
	Kind    string // the kind the list is filtered to, "" for all
	Pager   pager
	Form    blockForm
	names   map[string]string
	Message string
}

func (p blocklistPage) problem() string { return p.Message }

// Who names the actor that added an entry.
func (p blocklistPage) Who(recorded string) string {
	if n := p.names[recorded]; n != "" {
		return n
	}
	return recorded
}

// KindWords is a kind in words.
func (p blocklistPage) KindWords(kind string) string {
	for _, k := range p.Kinds {
		if k.Value == kind {
			return k.Label
		}
	}
	return kind
}

func (s *Server) blocklistPage(w http.ResponseWriter, r *http.Request) {
	s.showBlocklist(w, r, http.StatusOK, blocklistPage{Form: blockForm{Kind: "email"}})
}

func (s *Server) showBlocklist(w http.ResponseWriter, r *http.Request, status int, p blocklistPage) {
	who := visitorOf(r.Context()).Who
	pg, nav := listPage(r, blocksPP)
	p.Kind, p.Kinds = r.URL.Query().Get("kind"), blockKinds
	blocks, more, err := s.app.Blocks(r.Context(), who, store.BlockFilter{Page: pg, Kind: p.Kind})
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	actors := make([]string, len(blocks))
	for i, b := range blocks {
		actors[i] = b.CreatedBy
	}
	if p.names, err = s.access.ActorNames(r.Context(), who, actors); err != nil {
		s.failWith(w, r, err)
		return
	}
	p.Blocks, p.Pager = blocks, nav.withMore(more)
	s.render(w, r, status, "blocklist.html", "Block list", p)
}

func (s *Server) addBlock(w http.ResponseWriter, r *http.Request) {
	f := blockForm{Kind: r.PostFormValue("kind"), Value: strings.TrimSpace(r.PostFormValue("value")), Reason: r.PostFormValue("reason")}
	_, err := s.app.AddBlock(r.Context(), visitorOf(r.Context()).Who, app.BlockParams{Kind: f.Kind, Value: f.Value, Reason: f.Reason})
	if err != nil {
		status, msg, ok := formProblem(err)
		if !ok {
			s.failWith(w, r, err)
			return
		}
		f.Error = msg
		s.showBlocklist(w, r, status, blocklistPage{Form: f})
		return
	}
	done(w, r, "/blocklist", noticeBlockAdded)
}

// unblock removes an entry: the value may be used again from now on.
func (s *Server) unblock(w http.ResponseWriter, r *http.Request) {
	if err := s.app.DeleteBlock(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id")); err != nil {
		s.failWith(w, r, err)
		return
	}
	done(w, r, "/blocklist", noticeBlockRemoved)
}
