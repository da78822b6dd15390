package httpapi

import (
	"context"
	"time"

	"disputed/internal/access"
	"disputed/internal/actor"
)

// App is a dispute-service app as an admin sees it: never its secret or its hash.
type App struct {
	ID           string     `json:"id" doc:"the OAuth client id (app_…)"`
	Object       string     `json:"object" enum:"app"`
	Name         string     `json:"name"`
	RedirectURIs []string   `json:"redirect_uris" doc:"where an authorization may send the merchant back, exactly"`
	Scopes       []string   `json:"scopes" doc:"what the app may ask the merchant for"`
	RegisteredBy string     `json:"registered_by" doc:"who registered it: admin:key_…, admin:usr_…, or self"`
	Connections  int        `json:"connections" doc:"consents that still hold a working token; 0 when never connected or disconnected"`
	CreatedAt    time.Time  `json:"created_at"`
	LastUsedAt   *time.Time `json:"last_used_at" doc:"the last API call made with one of its tokens (to the minute); null until the first"`
}

func appOut(a access.AppView) App {
	return App{ID: a.ID, Object: "app", Name: a.Name, RedirectURIs: a.RedirectURIs, Scopes: a.Scopes,
		RegisteredBy: a.RegisteredBy, Connections: a.Connections, CreatedAt: a.CreatedAt.UTC(), LastUsedAt: optTime(a.LastUsedAt)}
}

// AppIn registers an app.
type AppIn struct {
	Body struct {
		Name         string   `json:"name" maxLength:"100"`
		RedirectURIs []string `json:"redirect_uris" maxItems:"10" doc:"absolute https URIs (http only on 127.0.0.1, [::1] or localhost), without a fragment"`
		Scopes       []string `json:"scopes" maxItems:"20" doc:"what the app may ask for; see the oauth2 security scheme for each scope's meaning"`
	}
}

// NewApp is an app in the answer that registered it, the one answer that shows its secret.
type NewApp struct {
	App
	Secret string `json:"secret,omitempty" doc:"the client secret (appsecret_…), which the app authenticates with at /oauth/token: shown once, in this answer; a repeat of the request with its Idempotency-Key answers without it, as the secret is not kept"`
}

// NewAppOut answers with a new app and its secret.
type NewAppOut struct{ Body NewApp }

// AppOut answers with an app.
type AppOut struct{ Body App }

// AppsOut is every app.
type AppsOut struct{ Body List[App] }

func (s *Server) createApp(ctx context.Context, in *AppIn) (*NewAppOut, error) {
	secret, a, err := s.access.RegisterApp(ctx, who(ctx), access.AppParams{Name: in.Body.Name, RedirectURIs: in.Body.RedirectURIs, Scopes: in.Body.Scopes})
	if err != nil {
		return nil, err
	}
	return &NewAppOut{Body: NewApp{App: appOut(access.AppView{App: a}), Secret: secret}}, nil
}

func (s *Server) listApps(ctx context.Context, _ *struct{}) (*AppsOut, error) {
	as, err := s.access.Apps(ctx, who(ctx))
	if err != nil {
		return nil, err
	}
	return &AppsOut{Body: listOf(as, false, appOut, func(a access.AppView) (time.Time, string) { return a.CreatedAt, a.ID })}, nil
}

func (s *Server) getApp(ctx context.Context, in *ByID) (*AppOut, error) {
	a, err := s.access.App(ctx, who(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &AppOut{Body: appOut(a)}, nil
}

func (s *Server) disconnectApp(ctx context.Context, in *ByID) (*AppOut, error) {
	a, err := s.access.DisconnectApp(ctx, who(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &AppOut{Body: appOut(a)}, nil
}

func (s *Server) deleteApp(ctx context.Context, in *ByID) (*DeletedOut, error) {
	if err := s.access.DeleteApp(ctx, who(ctx), in.ID); err != nil {
		return nil, err
	}
	return deleted(in.ID, "app"), nil
}

// oauthScopes are the scopes of the OpenAPI document's oauth2 scheme, each with its words.
func oauthScopes() map[string]string {
	out := make(map[string]string, len(actor.Scopes))
	for _, sc := range actor.Scopes {
		out[string(sc.Scope)] = sc.Words
	}
	return out
}
