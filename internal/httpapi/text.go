package httpapi

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"disputed/internal/fault"
)

// Text that a request carries ends up in the database, and PostgreSQL refuses a NUL character or
// bytes that are not UTF-8 in text. Such a request is refused here, naming where it was, instead
// of failing on PostgreSQL only (SQLite keeps both). JSON bodies are checked by decodeJSON:
// encoding/json already turns bytes that are not UTF-8 into U+FFFD, but keeps "\u0000".

// storable reports whether s can be kept as text.
func storable(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// storableText refuses a request whose path, query or Idempotency-Key is not storable text.
func storableText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !storable(r.URL.Path) {
			writeError(w, newAPIError(http.StatusNotFound, fault.CodeNotFound, "", "no object has a name with a NUL character or bytes that are not UTF-8"))
			return
		}
		query := r.URL.Query()
		for _, name := range slices.Sorted(maps.Keys(query)) {
			if !storable(name) || slices.ContainsFunc(query[name], func(v string) bool { return !storable(v) }) {
				writeError(w, textError(http.StatusUnprocessableEntity, fault.CodeInvalidValue, name))
				return
			}
		}
		if !storable(r.Header.Get("Idempotency-Key")) {
			writeError(w, textError(http.StatusBadRequest, fault.CodeInvalidIdempotencyKey, "Idempotency-Key"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// textError names the parameter whose text cannot be kept.
func textError(status int, code, param string) *apiError {
	param = strings.ToValidUTF8(param, "\uFFFD")
	return newAPIError(status, code, param, strconv.Quote(param)+" must be UTF-8 text without NUL characters")
}

// nulAt is the path (as fromHuma names fields: items[0].description) of the first string or
// object key in a decoded JSON value that holds a NUL character.
func nulAt(v any, path string) (string, bool) {
	switch v := v.(type) {
	case string:
		return path, strings.ContainsRune(v, 0)
	case []any:
		for i, e := range v {
			if p, ok := nulAt(e, fmt.Sprintf("%s[%d]", path, i)); ok {
				return p, true
			}
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if strings.ContainsRune(k, 0) {
				return p, true
			}
			if p, ok := nulAt(v[k], p); ok {
				return p, true
			}
		}
	}
	return "", false
}
