package web

import (
	"net/http"
	"strconv"

	"disputed/internal/store"
)

// opsRoutes is the admin's operations pages: outgoing webhook endpoints and their deliveries
// (webhooks.go), background jobs (jobs.go), the users of the web UI (users.go) and the API keys
// (apikeys.go). They are for staff; the use cases themselves allow only admins, so an agent gets
// the 403 page.
func (s *Server) opsRoutes() {
	m := s.mux
	page := func(h http.HandlerFunc) http.HandlerFunc { return s.signedIn(true, h) }

	m.HandleFunc("GET /webhooks", page(s.webhooksPage))
	m.HandleFunc("POST /webhooks", page(s.createWebhook))
	m.HandleFunc("GET /webhooks/{id}", page(s.webhookPage))
	m.HandleFunc("POST /webhooks/{id}", page(s.updateWebhook))
	m.HandleFunc("POST /webhooks/{id}/rotate", page(s.rotateWebhook))
	m.HandleFunc("POST /webhooks/{id}/enable", page(s.enableWebhook(true)))
	m.HandleFunc("POST /webhooks/{id}/disable", page(s.enableWebhook(false)))
	m.HandleFunc("POST /webhooks/{id}/delete", page(s.deleteWebhook))
	m.HandleFunc("POST /webhook-deliveries/{id}/redeliver", page(s.redeliverWebhook))

	m.HandleFunc("GET /jobs", page(s.jobsPage))
	m.HandleFunc("POST /jobs/{id}/retry", page(s.retryJob))
	m.HandleFunc("POST /provider-events/{id}/retry", page(s.retryProviderEvent))

	m.HandleFunc("GET /users", page(s.usersPage))
	m.HandleFunc("POST /users", page(s.createUser))
	m.HandleFunc("POST /users/{id}/disable", page(s.userAction("disable", noticeUserDisabled, s.access.DisableUser)))
	m.HandleFunc("POST /users/{id}/enable", page(s.userAction("enable", noticeUserEnabled, s.access.EnableUser)))
	m.HandleFunc("POST /users/{id}/sign-out", page(s.userAction("sign-out", noticeUserSignedOut, s.access.SignOutUser)))
	m.HandleFunc("POST /users/{id}/password", page(s.resetPassword))
	m.HandleFunc("POST /users/{id}/delete", page(s.userAction("delete", noticeUserDeleted, s.access.DeleteUser)))

	m.HandleFunc("GET /api-keys", page(s.apiKeysPage))
	m.HandleFunc("POST /api-keys", page(s.createAPIKey))
	m.HandleFunc("POST /api-keys/{id}/revoke", page(s.revokeAPIKey))
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
