package main

// TestEmailSettingsWire moved to internal/httpapi (settings_emails_test.go); emailsOf stays for
// the tests of the process that read a dispute's or an order's emails.

func emailsOf(s *testServer, path string) []map[string]any { return s.get(path + "/emails").list() }
