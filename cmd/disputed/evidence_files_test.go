package main

var (
	testPNG = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"),
		[]byte("\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")...)
	testPDF  = []byte("%PDF-1.4\n1 0 obj<</Type /Pages /Count 1>>endobj\n2 0 obj<</Type /Page /Parent 1 0 R>>endobj\n%%EOF\n")
	testHTML = []byte("<!DOCTYPE html><html><body><script>fetch('/v1/api_keys')</script></body></html>")
)

// uploadEvidence posts a file as evidence, claiming the content type it is given.
func (s *testServer) uploadEvidence(dispute, name, claimed string, data []byte, fields map[string]string) response {
	s.t.Helper()
	body, ct := multipartEvidence(s.t, fields, name, claimed, data)
	return s.post("/v1/disputes/"+dispute+"/evidence", body, "Content-Type", ct)
}

// vendorDispute is a marketplace dispute a new buyer opened about an order from the vendor; it
// returns the dispute and the buyer.
func (s *testServer) vendorDispute(vendor string) (string, string) {
	s.t.Helper()
	c := s.post("/v1/customers", map[string]any{"email": "files-" + vendor + "@example.com"})
	want(s.t, c, 201)
	o := s.post("/v1/orders", map[string]any{"customer_id": c.str("id"), "vendor_id": vendor, "currency": "usd",
		"items": []any{map[string]any{"description": "Camera", "amount": 1000}}})
	want(s.t, o, 201)
	want(s.t, s.post("/v1/orders/"+o.str("id")+"/complete", nil), 200)
	want(s.t, s.post("/v1/transactions", map[string]any{"type": "charge", "amount": 1000, "currency": "usd", "order_id": o.str("id")}), 201)
	d := s.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": o.str("id"), "initiated_by": "buyer", "description": "broken"})
	want(s.t, d, 201)
	return d.str("id"), c.str("id")
}
