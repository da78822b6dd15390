package httpapi

import (
	"context"

	"disputed/internal/fault"
)

// HealthOut is a health check's answer.
type HealthOut struct {
	Body struct {
		Status string `json:"status" enum:"ok"`
	}
}

func (s *Server) healthz(context.Context, *struct{}) (*HealthOut, error) {
	out := &HealthOut{}
	out.Body.Status = "ok"
	return out, nil
}

func (s *Server) readyz(ctx context.Context, _ *struct{}) (*HealthOut, error) {
	if err := s.db.Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "database not ready", "error", err)
		return nil, fault.New(fault.Internal, fault.CodeDatabaseUnavailable, "", "the database does not answer")
	}
	return s.healthz(ctx, nil)
}
