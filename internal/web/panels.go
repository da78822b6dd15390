package web

import (
	"net/http"
	"strconv"
	"strings"

	"disputed/internal/app"
	"disputed/internal/fault"
	"disputed/internal/panel"
	"disputed/internal/store"
)

// The panels page: the panel plugins order lines name, as the API's /v1/panels lists them
// (staff read them, admins add and remove them), with the add form and a confirmed delete. A
// panel's secret is write-only: the page says whether one is set, never what it is.

// panelTypes are the types the add form offers.
var panelTypes = []choice{
	{Value: panel.TypeHTTP, Label: "HTTP (a REST panel the server calls)"},
	{Value: panel.TypeManual, Label: "Manual (an admin does every action by hand)"},
}

// panelForm is the add form as typed, to show it again when it was refused. The secret is
// never sent back to the browser.
type panelForm struct{ Name, Type, BaseURL, TimeoutMS string }

type panelsPage struct {
	Panels []store.Panel
	Types  []choice
	Form   panelForm
	Errors fieldErrors
	// Shown is the panel whose delete box is open again with Message, the refusal of its delete.
	Shown   string
	Message string
}

func (p panelsPage) problem() string {
	if p.Shown != "" {
		return "" // the refusal is in the delete box
	}
	return p.Message
}

// Problem is the refusal shown beside the field name.
func (p panelsPage) Problem(name string) string { return p.Errors[name] }

func (s *Server) panelsPage(w http.ResponseWriter, r *http.Request) {
	s.showPanels(w, r, http.StatusOK, panelsPage{Form: panelForm{Type: panel.TypeHTTP}})
}

func (s *Server) showPanels(w http.ResponseWriter, r *http.Request, status int, p panelsPage) {
	ps, err := s.app.Panels(r.Context(), visitorOf(r.Context()).Who)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	p.Panels, p.Types = ps, panelTypes
	s.render(w, r, status, "panels.html", "Panels", p)
}

func (s *Server) createPanel(w http.ResponseWriter, r *http.Request) {
	f := panelForm{Name: strings.TrimSpace(r.PostFormValue("name")), Type: r.PostFormValue("type"),
		BaseURL: strings.TrimSpace(r.PostFormValue("base_url")), TimeoutMS: strings.TrimSpace(r.PostFormValue("timeout_ms"))}
	p := app.PanelParams{Name: f.Name, Type: f.Type, BaseURL: f.BaseURL, Secret: r.PostFormValue("secret")}
	var err error
	if f.TimeoutMS != "" {
		if p.TimeoutMS, err = strconv.ParseInt(f.TimeoutMS, 10, 64); err != nil {
			err = fault.Invalidf(fault.CodeInvalidValue, "config.timeout_ms", "a whole number of milliseconds is needed")
		}
	}
	if err == nil {
		_, err = s.app.CreatePanel(r.Context(), visitorOf(r.Context()).Who, p)
	}
	if err != nil {
		status, errs, msg, ok := fieldRefusal(err)
		if !ok {
			s.failWith(w, r, err)
			return
		}
		s.showPanels(w, r, status, panelsPage{Form: f, Errors: errs, Message: msg})
		return
	}
	done(w, r, "/panels", noticePanelAdded)
}

// deletePanel removes a panel once confirmed in its box; a panel live lines still use is
// refused in that box, with the use case's reason.
func (s *Server) deletePanel(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	refused := func(status int, msg string) {
		s.showPanels(w, r, status, panelsPage{Form: panelForm{Type: panel.TypeHTTP}, Shown: name, Message: msg})
	}
	if !ticked(r) {
		refused(http.StatusUnprocessableEntity, "Confirm it in the box first.")
		return
	}
	if err := s.app.DeletePanel(r.Context(), visitorOf(r.Context()).Who, name); err != nil {
		if status, msg, ok := formProblem(err); ok {
			refused(status, msg)
			return
		}
		s.failWith(w, r, err)
		return
	}
	done(w, r, "/panels", noticePanelDeleted)
}
