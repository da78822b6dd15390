package web

import (
	"net/http"
	"time"

	"disputed/internal/clientaddr"
	"disputed/internal/fault"
)

// sessionMaxAge is the cookie's lifetime; the session in the database decides (access.SessionLifetime).
const sessionMaxAge = 12 * time.Hour

type loginPage struct {
	Email   string
	Next    string
	Message string
}

func (p loginPage) problem() string { return p.Message }

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	if need, err := s.access.SetupNeeded(r.Context()); err == nil && need {
		http.Redirect(w, r, "/setup", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login.html", "Sign in", loginPage{Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.PostFormValue("next"))
	if !checkPreCSRF(r) {
		s.fail(w, r, http.StatusForbidden, "This form has expired: reload the sign-in page and try again.")
		return
	}
	email := r.PostFormValue("email")
	in, err := s.access.Login(r.Context(), email, r.PostFormValue("password"), clientaddr.Of(r))
	if err != nil {
		status, msg := statusOf(err)
		s.render(w, r, status, "login.html", "Sign in", loginPage{Email: email, Next: next, Message: msg})
		return
	}
	s.setSession(w, in.Token)
	if in.User.Role == "buyer" || in.User.Role == "vendor" {
		next = "/portal"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.access.Logout(r.Context(), c.Value); err != nil {
			s.failWith(w, r, err)
			return
		}
	}
	s.clearSession(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

type setupPage struct {
	Token   string // the setup token, which the form carries; "" shows the page asking for it
	Email   string
	Message string
}

func (p setupPage) problem() string { return p.Message }

const setupTitle = "Create the first admin"

// setupForm creates the first admin of a fresh installation, for whoever opens the setup link
// the server printed in its log: without its token, the page only asks for it. Once there is an
// admin, the page is gone.
func (s *Server) setupForm(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	switch err := s.access.CheckSetupToken(r.Context(), token); {
	case token == "" && fault.Code(err) == fault.CodeInvalidSetupToken:
		s.render(w, r, http.StatusOK, "setup.html", setupTitle, setupPage{})
	case err != nil:
		s.setupRefused(w, r, err)
	default:
		s.render(w, r, http.StatusOK, "setup.html", setupTitle, setupPage{Token: token})
	}
}

// setupRefused answers a setup without a valid token (403, the page asking for one, no form)
// or once the first admin exists (404).
func (s *Server) setupRefused(w http.ResponseWriter, r *http.Request, err error) {
	switch fault.Code(err) {
	case fault.CodeSetupDone:
		http.NotFound(w, r)
	case fault.CodeInvalidSetupToken:
		_, msg := statusOf(err)
		s.render(w, r, http.StatusForbidden, "setup.html", setupTitle, setupPage{Message: msg})
	default:
		s.failWith(w, r, err)
	}
}

// setup creates the first admin, with the setup token, and signs them in.
func (s *Server) setup(w http.ResponseWriter, r *http.Request) {
	if !checkPreCSRF(r) {
		s.fail(w, r, http.StatusForbidden, "This form has expired: reload the page and try again.")
		return
	}
	token, email, pass := r.PostFormValue("token"), r.PostFormValue("email"), r.PostFormValue("password")
	if err := s.access.CheckSetupToken(r.Context(), token); err != nil {
		s.setupRefused(w, r, err)
		return
	}
	again := func(status int, msg string) {
		s.render(w, r, status, "setup.html", setupTitle, setupPage{Token: token, Email: email, Message: msg})
	}
	if pass != r.PostFormValue("password_again") {
		again(http.StatusUnprocessableEntity, "The two passwords differ.")
		return
	}
	if _, err := s.access.Setup(r.Context(), token, email, pass); err != nil {
		if code := fault.Code(err); code == fault.CodeSetupDone || code == fault.CodeInvalidSetupToken {
			s.setupRefused(w, r, err)
			return
		}
		status, msg := statusOf(err)
		again(status, msg)
		return
	}
	in, err := s.access.Login(r.Context(), email, pass, clientaddr.Of(r))
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	s.setSession(w, in.Token)
	done(w, r, "/", noticeWelcome)
}
