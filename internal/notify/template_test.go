package notify

import (
	"slices"
	"strings"
	"testing"
	"time"

	"disputed/internal/fault"
)

// full is Data with every field set, so a test can see each one reach the message.
func full() Data {
	return Data{
		MerchantName:      "Acme Hosting",
		CustomerName:      "Jane Doe",
		CustomerEmail:     "jane@example.com",
		OrderID:           "ord_x",
		OrderTotal:        "25.00 USD",
		Items:             []string{"VPS small", "Daily backups"},
		DisputeID:         "dsp_1",
		DisputeType:       "chargeback",
		Reason:            "fraudulent",
		Resolution:        "won",
		ExternalReference: "dp_123",
		Lines:             2,
		DueBy:             time.Date(2026, 3, 4, 5, 6, 0, 0, time.FixedZone("CET", 3600)),
		VoidReason:        "duplicate order",
	}
}

func TestRender(t *testing.T) {
	t.Parallel()
	// details are the lines every template shows when the data has them.
	details := []string{
		"Hello Jane Doe,\n",
		"Order: ord_x\n",
		"Order total: 25.00 USD\n",
		"Items:\n  - VPS small\n  - Daily backups\n",
		"Dispute reference: dsp_1\n",
		"Dispute type: chargeback\n",
		"Payment reference: dp_123\n",
		"please contact Acme Hosting.",
		"Kind regards,\nAcme Hosting\n",
		"It was addressed to jane@example.com.",
	}
	tests := []struct {
		name    string
		tmpl    Template
		data    Data
		subject string
		want    []string // phrases the body must contain
		wantNot []string // phrases it must not
	}{
		{
			name:    "dispute opened with lines",
			tmpl:    DisputeOpened,
			data:    full(),
			subject: "Your order ord_x with Acme Hosting is under dispute",
			want: append([]string{
				"A dispute has been opened for your order ord_x with Acme Hosting.",
				"The reason given for the dispute is: fraudulent",
				"the service on this order is suspended (2 service lines affected)",
				"We will write to you again when the dispute has been resolved.",
			}, details...),
			wantNot: []string{"duplicate order", "won", "4 March 2026"},
		},
		{
			name: "dispute opened without lines",
			tmpl: DisputeOpened,
			data: func() Data { d := full(); d.Lines = 0; return d }(),
			want: []string{"A dispute has been opened"},
			// No service to suspend: saying so would alarm a customer who bought goods.
			wantNot: []string{"suspended", "service line"},
		},
		{
			name:    "dispute opened with one line",
			tmpl:    DisputeOpened,
			data:    func() Data { d := full(); d.Lines = 1; return d }(),
			want:    []string{"(1 service line affected)"},
			wantNot: []string{"1 service lines"},
		},
		{
			name:    "service restored",
			tmpl:    ServiceRestored,
			data:    full(),
			subject: "Service restored for your order ord_x with Acme Hosting",
			want: append([]string{
				"The service on your order ord_x with Acme Hosting has been restored (2 service lines).",
				"No action is needed from you.",
				"The outcome of the dispute: won",
			}, details...),
			wantNot: []string{"suspended", "terminated", "duplicate order"},
		},
		{
			name:    "service terminated",
			tmpl:    ServiceTerminated,
			data:    full(),
			subject: "Service ended for your order ord_x with Acme Hosting",
			want: append([]string{
				"the service on your order ord_x with Acme Hosting\nhas been terminated (2 service lines).",
				"The outcome of the dispute: won",
			}, details...),
			wantNot: []string{"restored"},
		},
		{
			name:    "order voided",
			tmpl:    OrderVoided,
			data:    full(),
			subject: "Your order ord_x with Acme Hosting has been cancelled",
			want: append([]string{
				"Your order ord_x with Acme Hosting has been cancelled.",
				"The reason given: duplicate order",
			}, details...),
			wantNot: []string{"fraudulent", "service line"},
		},
		{
			name:    "dispute resolved",
			tmpl:    DisputeResolved,
			data:    full(),
			subject: "The dispute about your order ord_x with Acme Hosting has been resolved",
			want: append([]string{
				"The dispute about your order ord_x with Acme Hosting has been resolved.",
				"The outcome: won",
			}, details...),
		},
		{
			name:    "evidence requested with a due date in UTC",
			tmpl:    EvidenceRequested,
			data:    full(),
			subject: "Information needed about your order ord_x with Acme Hosting",
			want: append([]string{
				"More information is needed from you about the dispute on your order ord_x\nwith Acme Hosting.",
				"Please contact Acme Hosting with this information by 4 March 2026 04:06 UTC.",
			}, details...),
			wantNot: []string{"as soon as you can", "05:06"},
		},
		{
			name:    "evidence requested without a due date",
			tmpl:    EvidenceRequested,
			data:    func() Data { d := full(); d.DueBy = time.Time{}; return d }(),
			want:    []string{"Please contact Acme Hosting with this information as soon as you can."},
			wantNot: []string{"UTC", "0001"},
		},
		{
			name:    "only an order id",
			tmpl:    DisputeResolved,
			data:    Data{OrderID: "ord_y"},
			subject: "The dispute about your order ord_y with the merchant has been resolved",
			want:    []string{"Hello,\n", "Order: ord_y\n", "please contact the merchant."},
			wantNot: []string{
				"Kind regards", "Order total", "Items", "Dispute reference", "Payment reference",
				"The outcome", "addressed to", "Hello ,",
			},
		},
		{
			name: "values cannot add lines",
			tmpl: DisputeOpened,
			data: Data{
				MerchantName: "Acme\r\nBcc: victim@example.com",
				OrderID:      "ord_z\n",
				CustomerName: "Jane\n\nPlease pay at https://evil.example",
				Items:        []string{"one\ntwo", " \n "},
			},
			subject: "Your order ord_z with Acme Bcc: victim@example.com is under dispute",
			want:    []string{"Hello Jane Please pay at https://evil.example,\n", "  - one two\n"},
			wantNot: []string{"\r", "\n\nPlease pay", "\n  - \n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := Render(tt.tmpl, tt.data)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if tt.subject != "" && m.Subject != tt.subject {
				t.Errorf("subject = %q; want %q", m.Subject, tt.subject)
			}
			for _, p := range tt.want {
				if !strings.Contains(m.Text, p) {
					t.Errorf("body lacks %q; body:\n%s", p, m.Text)
				}
			}
			for _, p := range tt.wantNot {
				if strings.Contains(m.Text, p) || strings.Contains(m.Subject, p) {
					t.Errorf("message contains %q; subject %q, body:\n%s", p, m.Subject, m.Text)
				}
			}
		})
	}
}

// TestRenderShape checks what must hold for every template whatever the data: a one-line
// subject naming the order, a body with no template artefacts and tidy whitespace.
func TestRenderShape(t *testing.T) {
	t.Parallel()
	for _, tmpl := range Templates {
		for _, d := range []Data{full(), {OrderID: "ord_y"}} {
			t.Run(string(tmpl)+"/"+d.OrderID, func(t *testing.T) {
				t.Parallel()
				m, err := Render(tmpl, d)
				if err != nil {
					t.Fatalf("Render: %v", err)
				}
				if m.Subject == "" || strings.ContainsAny(m.Subject, "\r\n") || !strings.Contains(m.Subject, d.OrderID) {
					t.Errorf("subject %q: want one non-empty line naming %s", m.Subject, d.OrderID)
				}
				for _, bad := range []string{"<no value>", "{{", "}}", "\r", " \n", "\n\n\n", "%!"} {
					if strings.Contains(m.Text, bad) {
						t.Errorf("body contains %q:\n%s", bad, m.Text)
					}
				}
				if !strings.HasSuffix(m.Text, ".\n") || strings.HasPrefix(m.Text, "\n") {
					t.Errorf("body should start with text and end with one newline:\n%q", m.Text)
				}
			})
		}
	}
}

func TestRenderLongSubject(t *testing.T) {
	t.Parallel()
	m, err := Render(DisputeOpened, Data{OrderID: strings.Repeat("x", 1000)})
	if err != nil {
		t.Fatal(err)
	}
	if n := len([]rune(m.Subject)); n > maxSubject || !strings.HasSuffix(m.Subject, "...") {
		t.Errorf("subject has %d runes, ends %q; want at most %d, ending ...", n, m.Subject[len(m.Subject)-5:], maxSubject)
	}
}

func TestRenderErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		tmpl  Template
		data  Data
		param string
	}{
		{"unknown template", Template("welcome"), full(), "template"},
		{"no order id", DisputeOpened, Data{MerchantName: "Acme"}, "order_id"},
		{"blank order id", DisputeOpened, Data{OrderID: " \r\n"}, "order_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Render(tt.tmpl, tt.data)
			fe, ok := fault.As(err)
			if !ok || fe.Kind != fault.Invalid || fe.Param != tt.param {
				t.Errorf("Render error = %v; want an Invalid fault on %q", err, tt.param)
			}
		})
	}
}

func TestParseTemplate(t *testing.T) {
	t.Parallel()
	for _, tmpl := range Templates {
		got, err := ParseTemplate(string(tmpl))
		if err != nil || got != tmpl {
			t.Errorf("ParseTemplate(%q) = %q, %v; want itself", tmpl, got, err)
		}
	}
	for _, s := range []string{"", "Dispute_Opened", "dispute_opened ", "welcome", strings.Repeat("a", 500)} {
		got, err := ParseTemplate(s)
		fe, ok := fault.As(err)
		if got != "" || !ok || fe.Kind != fault.Invalid || fe.Param != "template" {
			t.Errorf("ParseTemplate(%q) = %q, %v; want an Invalid fault on template", s, got, err)
		}
		if len(err.Error()) > 300 {
			t.Errorf("ParseTemplate(%d bytes): error repeats the whole input: %d bytes", len(s), len(err.Error()))
		}
	}
}

func TestTemplatesOrder(t *testing.T) {
	t.Parallel()
	want := []Template{
		"dispute_opened", "service_restored", "service_terminated", "order_voided",
		"dispute_resolved", "evidence_requested",
	}
	if !slices.Equal(Templates, want) {
		t.Errorf("Templates = %q; want %q", Templates, want)
	}
}
