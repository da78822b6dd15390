package web

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"disputed/internal/bytesize"
)

// Body limits of the UI's requests, so that no visitor makes the server read or keep more than
// a form needs: every route has one (routeMux applies formLimit unless the route names another).
const (
	// signInFormLimit bounds the forms shown before sign-in: an email, a password of up to 1024
	// characters, a token, a redirect.
	signInFormLimit = 16 << 10
	// formLimit bounds every other form: a few fields and a note.
	formLimit = 64 << 10
	// stagedFormLimit bounds the staged-evidence form: Stripe takes up to 150,000 characters of
	// evidence text, as the API's POST /v1/disputes/{id} does.
	stagedFormLimit = 1 << 20
	// formMemory is what a multipart form may keep in memory; a larger file goes to a temporary
	// file, removed after the request.
	formMemory = 1 << 20
	// tokenSearchLimit is how much of an upload is read to find its CSRF token before its file:
	// the form's other fields, which come first, are short.
	tokenSearchLimit = 64 << 10
)

// limitBody refuses a body longer than n bytes with 413, before anything reads it. The handler
// gets a copy of the request with the bounded body: net/http, finding its own body unread after
// an early answer (a refused session or CSRF token), then closes the connection instead of
// reading on.
func (s *Server) limitBody(n int64, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > n {
			s.bodyTooLarge(w, r, n)
			return
		}
		bounded := r.WithContext(r.Context())
		bounded.Body = http.MaxBytesReader(w, r.Body, n)
		h.ServeHTTP(w, bounded)
	})
}

// bodyTooLarge is the answer to a body over its route's limit.
func (s *Server) bodyTooLarge(w http.ResponseWriter, r *http.Request, limit int64) {
	if limit == evidenceMaxBody {
		s.fail(w, r, http.StatusRequestEntityTooLarge, evidenceTooLarge)
		return
	}
	s.fail(w, r, http.StatusRequestEntityTooLarge, "The form is too large ("+bytesize.Format(limit)+" at most): shorten it and send it again.")
}

// upload guards an evidence form, the one body large enough to matter (evidenceMaxBody): the
// session is found first, then its CSRF token is checked (the header htmx sends, or the fields
// before the file), and only then is the file read.
func (s *Server) upload(staffOnly bool, h http.HandlerFunc) http.HandlerFunc {
	return s.withSession(staffOnly, s.csrfBeforeFile(h))
}

// csrfBeforeFile checks the session's CSRF token of a multipart form without reading its file:
// from the header, or from the fields that precede the first file (the forms put the token
// first), reading at most tokenSearchLimit bytes; what it read is handed on to h as if unread.
// Any other form is small enough to be read and then checked.
func (s *Server) csrfBeforeFile(h http.HandlerFunc) http.HandlerFunc {
	read, readChecked := s.storableInput(h), s.storableInput(s.checkCSRF(h))
	return func(w http.ResponseWriter, r *http.Request) {
		want := visitorOf(r.Context()).Session.CSRF
		if t := r.Header.Get(csrfHeader); t != "" {
			if !sameToken(t, want) {
				s.forgedForm(w, r)
				return
			}
			read(w, r)
			return
		}
		mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt != "multipart/form-data" || params["boundary"] == "" {
			readChecked(w, r)
			return
		}
		var start bytes.Buffer
		if token := tokenBeforeFile(io.TeeReader(io.LimitReader(r.Body, tokenSearchLimit), &start), params["boundary"]); !sameToken(token, want) {
			s.forgedForm(w, r)
			return
		}
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(&start, r.Body), r.Body}
		read(w, r)
	}
}

// tokenBeforeFile returns the csrf_token field of a multipart body if it comes before any file,
// or "".
func tokenBeforeFile(body io.Reader, boundary string) string {
	mr := multipart.NewReader(body, boundary)
	for {
		p, err := mr.NextPart()
		if err != nil || p.FileName() != "" {
			return ""
		}
		if p.FormName() == csrfField {
			b, _ := io.ReadAll(io.LimitReader(p, 256))
			return string(b)
		}
	}
}
