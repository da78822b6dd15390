package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"disputed/internal/accesslog"
	"disputed/internal/actor"
	"disputed/internal/store"
)

const (
	sessionCookie = "disputed_session"
	// preCSRFCookie carries the CSRF token of forms shown before there is a session (sign-in,
	// setup): the form must echo it (double submit).
	preCSRFCookie = "disputed_csrf"
	csrfField     = "csrf_token"
	csrfHeader    = "X-CSRF-Token"
)

// visitor is who is looking at a page.
type visitor struct {
	Who     actor.Actor
	User    store.User
	Session store.Session
}

type visitorKey struct{}

func visitorOf(ctx context.Context) visitor {
	v, _ := ctx.Value(visitorKey{}).(visitor)
	return v
}

// signedIn wraps a page that needs a session: without one a GET goes to the sign-in page (and
// back after it), anything else is refused. Every POST must carry the session's CSRF token.
// staffOnly pages send buyers and vendors to the portal. The form is read once the session is
// known, within the route's body limit.
func (s *Server) signedIn(staffOnly bool, h http.HandlerFunc) http.HandlerFunc {
	return s.withSession(staffOnly, s.storableInput(s.checkCSRF(h)))
}

// withSession finds the visitor's session, before anything reads the request's body, and puts
// the visitor in the request's context.
func (s *Server) withSession(staffOnly bool, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, _ := r.Cookie(sessionCookie)
		token := ""
		if c != nil {
			token = c.Value
		}
		who, sess, u, err := s.access.Session(r.Context(), token)
		if err != nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.fail(w, r, http.StatusUnauthorized, "Your session has ended: sign in again.")
			return
		}
		if staffOnly && !who.IsStaff() {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/portal", http.StatusSeeOther)
				return
			}
			s.fail(w, r, http.StatusForbidden, "This page is for the merchant's staff.")
			return
		}
		accesslog.SetActor(r.Context(), who.String())
		ctx := context.WithValue(r.Context(), visitorKey{}, visitor{Who: who, User: u, Session: sess})
		h(w, r.WithContext(ctx))
	}
}

// checkCSRF refuses a POST without the session's CSRF token (withSession found the session).
func (s *Server) checkCSRF(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !sameToken(csrfOf(r), visitorOf(r.Context()).Session.CSRF) {
			s.forgedForm(w, r)
			return
		}
		h(w, r)
	}
}

// forgedForm refuses a form without its session's CSRF token.
func (s *Server) forgedForm(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusForbidden, "This form has expired or did not come from this site. Go back, reload the page and try again.")
}

// csrfOf is the token a request carries: the form field, or the header htmx sends.
func csrfOf(r *http.Request) string {
	if t := r.Header.Get(csrfHeader); t != "" {
		return t
	}
	return r.PostFormValue(csrfField)
}

func sameToken(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// preCSRF returns the token for a form shown before sign-in, setting its cookie when needed.
func (s *Server) preCSRF(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(preCSRFCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: preCSRFCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.cfg.Secure,
		SameSite: http.SameSiteLaxMode})
	return token
}

// checkPreCSRF checks a form posted before sign-in against its cookie.
func checkPreCSRF(r *http.Request) bool {
	c, err := r.Cookie(preCSRFCookie)
	return err == nil && sameToken(r.PostFormValue(csrfField), c.Value)
}

func (s *Server) setSession(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.cfg.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(sessionMaxAge.Seconds())})
}

func (s *Server) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.cfg.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// safeNext keeps a redirect after sign-in on this site: a path, not "//host". A browser drops
// tabs and newlines from a URL and reads \ as /, so "/\t/host" and "/\\host" are "//host" to it:
// no control character or backslash passes either.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsFunc(next, func(r rune) bool { return r < ' ' || r == 0x7f || r == '\\' }) {
		return "/"
	}
	return next
}
