package httpapi

import (
	"context"
	"net/http"
	"strings"

	"disputed/internal/accesslog"
	"disputed/internal/actor"
)

type actorKey struct{}

// who returns the authenticated actor of the request.
func who(ctx context.Context) actor.Actor {
	a, _ := ctx.Value(actorKey{}).(actor.Actor)
	return a
}

// authenticate resolves the bearer API key or app token into an actor, and holds an app to the
// route's scope (the one place scopes are checked; roles are checked by the use cases). Without
// a valid key only the routes registered as public answer (health, metrics, the OpenAPI
// document, provider webhooks, which their provider's signature authenticates, and the OAuth
// token endpoints, where the app authenticates itself), and the anonymous ones (an app
// registering itself, which the use case allows or not).
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := s.mux.Handler(r)
		if s.public[pattern] || (s.anonymous[pattern] && r.Header.Get("Authorization") == "") {
			next.ServeHTTP(w, r)
			return
		}
		secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			secret = ""
		}
		a, err := s.access.Authenticate(r.Context(), strings.TrimSpace(secret))
		if err == nil {
			err = actor.RequireScope(a, s.scopes[pattern])
		}
		if err != nil {
			writeError(w, problem(r.Context(), s.log, err))
			return
		}
		s.access.Acted(r.Context(), a)
		accesslog.SetActor(r.Context(), a.String())
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), actorKey{}, a)))
	})
}
