package web

import (
	"net/http"
	"strconv"

	"disputed/internal/store"
)

// opsFormLimit bounds the body of the operations pages' forms (none of them uploads anything).
const opsFormLimit = 64 << 10

// opsRoutes is the admin's operations pages: outgoing webhook endpoints and their deliveries
// (webhooks.go), background jobs (jobs.go), the users of the web UI (users.go) and the API keys
// (apikeys.go). They are for staff; the use cases themselves allow only admins, so an agent gets
// the 403 page.
func (s *Server) opsRoutes() {
	m := s.mux
	page := func(h http.HandlerFunc) http.HandlerFunc { return s.signedIn(true, h) }
	form := func(h http.HandlerFunc) http.HandlerFunc { return limitBody(opsFormLimit, s.signedIn(true, h)) }

	m.HandleFunc("GET /webhooks", page(s.webhooksPage))
	m.HandleFunc("POST /webhooks", form(s.createWebhook))
	m.HandleFunc("GET /webhooks/{id}", page(s.webhookPage))
	m.HandleFunc("POST /webhooks/{id}", form(s.updateWebhook))
	m.HandleFunc("POST /webhooks/{id}/rotate", form(s.rotateWebhook))
	m.HandleFunc("POST /webhooks/{id}/enable", form(s.enableWebhook(true)))
	m.HandleFunc("POST /webhooks/{id}/disable", form(s.enableWebhook(false)))
	m.HandleFunc("POST /webhooks/{id}/delete", form(s.deleteWebhook))
	m.HandleFunc("POST /webhook-deliveries/{id}/redeliver", form(s.redeliverWebhook))

	m.HandleFunc("GET /jobs", page(s.jobsPage))
	m.HandleFunc("POST /jobs/{id}/retry", form(s.retryJob))

	m.HandleFunc("GET /users", page(s.usersPage))
	m.HandleFunc("POST /users", form(s.createUser))

	m.HandleFunc("GET /api-keys", page(s.apiKeysPage))
	m.HandleFunc("POST /api-keys", form(s.createAPIKey))
	m.HandleFunc("POST /api-keys/{id}/revoke", form(s.revokeAPIKey))
}

// limitBody refuses a body longer than n bytes. It runs before the session and CSRF checks read
// the form, so that no handler behind it ever reads more.
func limitBody(n int64, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > n {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, n)
		h(w, r)
	}
}

// pager is the page/per-page navigation of a list page: ?page=N, from 1.
type pager struct {
	Page int // the current page, from 1
	Prev int // 0 when this is the first page
	Next int // 0 when there is nothing after this page
}

// listPage reads ?page= and returns the store page of size rows it asks for.
func listPage(r *http.Request, size int) (store.Page, pager) { return pageParam(r, "page", size) }

// pageParam reads the page number in the query parameter name and returns the store page of
// size rows it asks for.
func pageParam(r *http.Request, name string, size int) (store.Page, pager) {
	n, err := strconv.Atoi(r.URL.Query().Get(name))
	if err != nil || n < 1 || n > 100000 {
		n = 1
	}
	return store.Page{Limit: size, Offset: (n - 1) * size}, pager{Page: n, Prev: n - 1}
}

// withMore completes a pager once the list says whether more rows follow.
func (p pager) withMore(more bool) pager {
	if more {
		p.Next = p.Page + 1
	}
	return p
}
