package main

func lineOf(s *testServer, ord string) map[string]any {
	s.t.Helper()
	ls := s.get("/v1/orders/" + ord).lines()
	if len(ls) != 1 {
		s.t.Fatalf("order %s has %d lines", ord, len(ls))
	}
	return ls[0]
}
