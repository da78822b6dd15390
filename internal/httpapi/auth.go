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

// authenticate resolves the bearer API key into an actor; without a valid key only the routes
// registered as public answer (health, metrics, the OpenAPI document, and provider webhooks,
// which their provider's signature authenticates).
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := s.mux.Handler(r); s.public[pattern] {
			next.ServeHTTP(w, r)
			return
		}
		secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			secret = ""
		}
		a, err := s.access.Authenticate(r.Context(), strings.TrimSpace(secret))
		if err != nil {
			writeError(w, problem(r.Context(), s.log, err))
			return
		}
		accesslog.SetActor(r.Context(), a.String())
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), actorKey{}, a)))
	})
}
