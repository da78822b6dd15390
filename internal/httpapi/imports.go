package httpapi

import (
	"context"
	"time"

	"disputed/internal/app"
	"disputed/internal/store"
)

// ProviderImport is a history import of a provider: it pages through the provider's list APIs
// and writes what it reads as the provider's events, with the ids its webhooks would have.
type ProviderImport struct {
	ID         string     `json:"id"`
	Object     string     `json:"object" enum:"provider_import"`
	Provider   string     `json:"provider"`
	Since      *time.Time `json:"since" doc:"what was created since this time is read; null for the whole history"`
	State      string     `json:"state" enum:"running,done,failed,canceled"`
	Read       int64      `json:"read" doc:"objects read so far"`
	Appended   int64      `json:"appended" doc:"of those, events new to the server (the others were received before, by webhook or an earlier import)"`
	Error      *string    `json:"error" doc:"why it failed; who canceled it"`
	StartedBy  string     `json:"started_by"`
	StartedAt  time.Time  `json:"started_at"`
	UpdatedAt  time.Time  `json:"updated_at" doc:"when its last page was written"`
	FinishedAt *time.Time `json:"finished_at"`
}

func importOut(i store.ProviderImport) ProviderImport {
	return ProviderImport{ID: i.ID, Object: "provider_import", Provider: i.Provider, Since: optTime(i.Since), State: i.State,
		Read: i.Read, Appended: i.Appended, Error: opt(i.Error), StartedBy: i.StartedBy, StartedAt: i.StartedAt.UTC(),
		UpdatedAt: i.UpdatedAt.UTC(), FinishedAt: optTime(i.FinishedAt)}
}

// ImportIn starts an import.
type ImportIn struct {
	Name string `path:"name" maxLength:"64"`
	Body struct {
		Since string `json:"since,omitempty" maxLength:"64" doc:"a date (2025-01-01, from midnight UTC) or an RFC 3339 time; omitted, the whole history"`
	}
}

// ImportOut answers with an import.
type ImportOut struct{ Body ProviderImport }

// ImportsOut lists imports.
type ImportsOut struct{ Body List[ProviderImport] }

// ImportByID names one import of a provider.
type ImportByID struct {
	Name string `path:"name" maxLength:"64"`
	ID   string `path:"id" maxLength:"64"`
}

func (s *Server) startImport(ctx context.Context, in *ImportIn) (*ImportOut, error) {
	since, err := app.ParseSince(in.Body.Since)
	if err != nil {
		return nil, err
	}
	i, err := s.app.StartImport(ctx, who(ctx), in.Name, since)
	if err != nil {
		return nil, err
	}
	return &ImportOut{Body: importOut(i)}, nil
}

// ImportsIn lists a provider's imports.
type ImportsIn struct {
	PageQuery
	Name string `path:"name" maxLength:"64"`
}

func (s *Server) listImports(ctx context.Context, in *ImportsIn) (*ImportsOut, error) {
	page, err := in.page()
	if err != nil {
		return nil, err
	}
	is, more, err := s.app.ProviderImports(ctx, who(ctx), in.Name, page)
	if err != nil {
		return nil, err
	}
	return &ImportsOut{Body: listOf(is, more, importOut, func(i store.ProviderImport) (time.Time, string) { return i.StartedAt, i.ID })}, nil
}

func (s *Server) getImport(ctx context.Context, in *ImportByID) (*ImportOut, error) {
	i, err := s.app.ProviderImport(ctx, who(ctx), in.Name, in.ID)
	if err != nil {
		return nil, err
	}
	return &ImportOut{Body: importOut(i)}, nil
}

func (s *Server) cancelImport(ctx context.Context, in *ImportByID) (*ImportOut, error) {
	i, err := s.app.CancelImport(ctx, who(ctx), in.Name, in.ID)
	if err != nil {
		return nil, err
	}
	return &ImportOut{Body: importOut(i)}, nil
}
