package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// storableInput refuses a form or query holding text that cannot be kept: a NUL character or
// bytes that are not UTF-8, which PostgreSQL refuses in text (SQLite keeps them). It reads the
// form for the handlers' PostFormValue, behind the route's body limit (a body over it is
// refused), keeping up to formMemory of a multipart form in memory; any other form that cannot
// be read is left to the handler to report.
func (s *Server) storableInput(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := r.ParseForm() // ParseMultipartForm would drop its error
		if err == nil {
			err = r.ParseMultipartForm(formMemory)
		}
		if r.MultipartForm != nil {
			// A file over formMemory went to a temporary file. net/http removes those only for
			// the request it made, and r is a copy (the body limit, the session), so remove them
			// here once the handler is done.
			defer func() { _ = r.MultipartForm.RemoveAll() }()
		}
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.bodyTooLarge(w, r, tooLarge.Limit)
			return
		}
		ok := storable(r.URL.Path)
		for name, values := range r.Form {
			ok = ok && storable(name) && !slices.ContainsFunc(values, func(v string) bool { return !storable(v) })
		}
		if r.MultipartForm != nil {
			for _, files := range r.MultipartForm.File {
				for _, f := range files {
					ok = ok && storable(f.Filename) && storable(f.Header.Get("Content-Type"))
				}
			}
		}
		if !ok {
			s.fail(w, r, http.StatusUnprocessableEntity,
				"The form holds a character that cannot be kept (a NUL, or text that is not UTF-8): remove it and send the form again.")
			return
		}
		h(w, r)
	}
}

func storable(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }
