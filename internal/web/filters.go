package web

import (
	"fmt"
	"net/url"
	"unicode/utf8"
)

// A list page's filters are bounded as the API bounds its query parameters, so that a page never
// searches for, nor shows back, a text of any length: free text (q) up to 200 characters, every
// other filter (an id, a tag, a provider's name, a state, a sort) up to 64.
const (
	maxSearchFilter = 200
	maxFilter       = 64
)

// overlongFilter describes the first of the named filters in q that is longer than its bound,
// or is "" when none is.
func overlongFilter(q url.Values, names ...string) string {
	for _, name := range names {
		limit := maxFilter
		if name == "q" {
			limit = maxSearchFilter
		}
		for _, v := range q[name] {
			if utf8.RuneCountInString(v) > limit {
				return fmt.Sprintf("The filter %s is longer than %d characters; nothing was searched.", name, limit)
			}
		}
	}
	return ""
}
