package web

import (
	"net/http"
	"time"
)

// sessionMaxAge is the cookie's lifetime; the session in the database decides (app.SessionLifetime).
const sessionMaxAge = 12 * time.Hour

type loginPage struct {
	Email   string
	Next    string
	Message string
}

func (p loginPage) problem() string { return p.Message }

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	if need, err := s.app.SetupNeeded(r.Context()); err == nil && need {
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
	in, err := s.app.Login(r.Context(), email, r.PostFormValue("password"))
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
		if err := s.app.Logout(r.Context(), c.Value); err != nil {
			s.failWith(w, r, err)
			return
		}
	}
	s.clearSession(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

type setupPage struct {
	Email   string
	Message string
}

func (p setupPage) problem() string { return p.Message }

// setupForm creates the first admin of a fresh installation; once there is one, the page is gone.
func (s *Server) setupForm(w http.ResponseWriter, r *http.Request) {
	need, err := s.app.SetupNeeded(r.Context())
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	if !need {
		http.NotFound(w, r)
		return
	}
	s.render(w, r, http.StatusOK, "setup.html", "Create the first admin", setupPage{})
}

func (s *Server) setup(w http.ResponseWriter, r *http.Request) {
	if !checkPreCSRF(r) {
		s.fail(w, r, http.StatusForbidden, "This form has expired: reload the page and try again.")
		return
	}
	email, pass := r.PostFormValue("email"), r.PostFormValue("password")
	if pass != r.PostFormValue("password_again") {
		s.render(w, r, http.StatusUnprocessableEntity, "setup.html", "Create the first admin", setupPage{Email: email, Message: "The two passwords differ."})
		return
	}
	if _, err := s.app.Setup(r.Context(), email, pass); err != nil {
		status, msg := statusOf(err)
		if status == http.StatusConflict {
			http.NotFound(w, r)
			return
		}
		s.render(w, r, status, "setup.html", "Create the first admin", setupPage{Email: email, Message: msg})
		return
	}
	in, err := s.app.Login(r.Context(), email, pass)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	s.setSession(w, in.Token)
	done(w, r, "/", noticeWelcome)
}
