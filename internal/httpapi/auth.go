package httpapi

import (
	"context"
	"net/http"
	"strings"

	"disputed/internal/actor"
)

type actorKey struct{}

// who returns the authenticated actor of the request.
func who(ctx context.Context) actor.Actor {
	a, _ := ctx.Value(actorKey{}).(actor.Actor)
	return a
}

// publicPaths need no API key.
var publicPaths = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true, "/openapi.json": true}

// authenticate resolves the bearer API key into an actor; without a valid key only the public
// paths answer.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if publicPaths[r.URL.Path] {
			next.ServeHTTP(w, r)
			return
		}
		secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			secret = ""
		}
		a, err := s.app.Authenticate(r.Context(), strings.TrimSpace(secret))
		if err != nil {
			writeError(w, problem(r.Context(), s.log, err))
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), actorKey{}, a)))
	})
}
