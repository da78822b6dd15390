package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"disputed/internal/store"
	"disputed/internal/webhook"
)

// deliveriesPerPage is how many deliveries an endpoint's page lists, each with its attempts.
const deliveriesPerPage = 25

// allEvents is the subscription to every event type.
const allEvents = webhook.All

// hookForm is what the endpoint form holds, to show it again when it was refused.
type hookForm struct {
	URL          string
	Description  string
	Events       map[string]bool // the event types ticked, allEvents for all
	DisableAfter string
}

// hookFormOf reads the endpoint form; the params leave out what was left blank only where a
// blank means "as it is" (the failure limit).
func hookFormOf(r *http.Request) (hookForm, webhook.EndpointParams) {
	f := hookForm{URL: strings.TrimSpace(r.PostFormValue("url")), Description: strings.TrimSpace(r.PostFormValue("description")),
		Events: map[string]bool{}, DisableAfter: strings.TrimSpace(r.PostFormValue("disable_after_failures"))}
	var events []string
	for _, e := range r.PostForm["events"] {
		if !f.Events[e] {
			f.Events[e] = true
			events = append(events, e)
		}
	}
	if f.Events[allEvents] { // "every event" wins over single ticks
		events = []string{allEvents}
	}
	if events == nil {
		events = []string{}
	}
	p := webhook.EndpointParams{URL: &f.URL, Events: &events, Description: &f.Description}
	if f.DisableAfter != "" {
		n, err := strconv.Atoi(f.DisableAfter)
		if err != nil {
			n = -1 // refused by the webhook service with its own message
		}
		p.DisableAfter = &n
	}
	return f, p
}

func formOfEndpoint(e store.WebhookEndpoint) hookForm {
	f := hookForm{URL: e.URL, Description: e.Description, Events: map[string]bool{}, DisableAfter: strconv.Itoa(e.DisableAfter)}
	for _, ev := range e.Events {
		f.Events[ev] = true
	}
	return f
}

// hooksPage lists the endpoints with the form that adds one.
type hooksPage struct {
	Endpoints  []store.WebhookEndpoint
	EventTypes []string
	AllEvents  string
	Form       hookForm
	Message    string
}

func (p hooksPage) problem() string { return p.Message }

func (s *Server) webhooksPage(w http.ResponseWriter, r *http.Request) {
	s.showWebhooks(w, r, http.StatusOK, hookForm{Events: map[string]bool{}}, "")
}

func (s *Server) showWebhooks(w http.ResponseWriter, r *http.Request, status int, f hookForm, msg string) {
	es, err := s.webhooks.Endpoints(r.Context(), visitorOf(r.Context()).Who)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	s.render(w, r, status, "webhooks.html", "Webhook endpoints",
		hooksPage{Endpoints: es, EventTypes: webhook.EventTypes, AllEvents: allEvents, Form: f, Message: msg})
}

// createWebhook adds an endpoint and answers with its page showing the secret, this once: the
// secret is never put in a URL, so there is no redirect.
func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request) {
	f, p := hookFormOf(r)
	e, err := s.webhooks.CreateEndpoint(r.Context(), visitorOf(r.Context()).Who, p)
	if err != nil {
		if status, msg, ok := formProblem(err); ok {
			s.showWebhooks(w, r, status, f, msg)
			return
		}
		s.failWith(w, r, err)
		return
	}
	s.showWebhook(w, r, http.StatusCreated, e, webhookExtras{Secret: e.Secret,
		SecretNote: "Endpoint created. This is its signing secret."})
}

// hookPage is one endpoint: its settings, its secret right after it was made, its deliveries
// with every attempt.
type hookPage struct {
	Endpoint   store.WebhookEndpoint
	Secret     string // only in the answer to create and rotate
	SecretNote string
	EventTypes []string
	AllEvents  string
	Form       hookForm
	Message    string
	Deliveries []webhook.DeliveryView
	State      string   // the deliveries shown: "" for all
	States     []string // the filters offered
	Pager      pager
	Now        time.Time
}

func (p hookPage) problem() string { return p.Message }

// webhookExtras is what a POST adds to the endpoint's page.
type webhookExtras struct {
	Secret, SecretNote string
	Form               *hookForm
	Message            string
}

func (s *Server) webhookPage(w http.ResponseWriter, r *http.Request) {
	e, err := s.webhooks.Endpoint(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"))
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	s.showWebhook(w, r, http.StatusOK, e, webhookExtras{})
}

func (s *Server) showWebhook(w http.ResponseWriter, r *http.Request, status int, e store.WebhookEndpoint, x webhookExtras) {
	ctx, who := r.Context(), visitorOf(r.Context()).Who
	state := r.URL.Query().Get("state")
	states := []string{store.DeliveryPending, store.DeliveryDelivered, store.DeliveryFailed}
	if state != "" && !slices.Contains(states, state) {
		s.fail(w, r, http.StatusBadRequest, "Unknown delivery state: pick pending, delivered or failed.")
		return
	}
	pg, nav := listPage(r, deliveriesPerPage)
	if r.Method != http.MethodGet {
		pg, nav, state = store.Page{Limit: deliveriesPerPage}, pager{Page: 1}, ""
	}
	ds, more, err := s.webhooks.Deliveries(ctx, who, store.DeliveryFilter{Page: pg, EndpointID: e.ID, State: state})
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	views := make([]webhook.DeliveryView, 0, len(ds))
	for _, d := range ds {
		v, err := s.webhooks.Delivery(ctx, who, d.ID)
		if err != nil {
			s.failWith(w, r, err)
			return
		}
		views = append(views, v)
	}
	f := formOfEndpoint(e)
	if x.Form != nil {
		f = *x.Form
	}
	s.render(w, r, status, "webhook.html", "Webhook endpoint "+e.ID, hookPage{Endpoint: e, Secret: x.Secret, SecretNote: x.SecretNote,
		EventTypes: webhook.EventTypes, AllEvents: allEvents, Form: f, Message: x.Message, Deliveries: views, State: state, States: states,
		Pager: nav.withMore(more), Now: s.cfg.Now()})
}

func (s *Server) updateWebhook(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, p := hookFormOf(r)
	e, err := s.webhooks.UpdateEndpoint(r.Context(), visitorOf(r.Context()).Who, id, p)
	if err != nil {
		status, msg, ok := formProblem(err)
		if !ok {
			s.failWith(w, r, err)
			return
		}
		cur, gerr := s.webhooks.Endpoint(r.Context(), visitorOf(r.Context()).Who, id)
		if gerr != nil {
			s.failWith(w, r, gerr)
			return
		}
		s.showWebhook(w, r, status, cur, webhookExtras{Form: &f, Message: msg})
		return
	}
	done(w, r, hookPath(e.ID), noticeEndpointSaved)
}

// rotateWebhook gives the endpoint a new secret and shows it in the answer, this once.
func (s *Server) rotateWebhook(w http.ResponseWriter, r *http.Request) {
	e, err := s.webhooks.RotateEndpointSecret(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"))
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	s.showWebhook(w, r, http.StatusOK, e, webhookExtras{Secret: e.Secret,
		SecretNote: "Secret rotated. The previous secret also signs deliveries until " + e.PreviousUntil.UTC().Format("2 Jan 2006 15:04 UTC") + "."})
}

func (s *Server) enableWebhook(on bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		e, err := s.webhooks.UpdateEndpoint(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"), webhook.EndpointParams{Enabled: &on})
		if err != nil {
			s.failWith(w, r, err)
			return
		}
		n := noticeEndpointDisabled
		if on {
			n = noticeEndpointEnabled
		}
		done(w, r, hookPath(e.ID), n)
	}
}

func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := s.webhooks.DeleteEndpoint(r.Context(), visitorOf(r.Context()).Who, id); err != nil {
		s.failWith(w, r, err)
		return
	}
	done(w, r, "/webhooks", noticeEndpointDeleted)
}

func (s *Server) redeliverWebhook(w http.ResponseWriter, r *http.Request) {
	v, err := s.webhooks.Redeliver(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"))
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	done(w, r, hookPath(v.Delivery.EndpointID), noticeRedeliveryQueued)
}

func hookPath(id string) string { return "/webhooks/" + url.PathEscape(id) }

// formProblem tells a refused form's error (invalid values, a conflict) from a refusal of the
// page itself (forbidden, not found, our failure): the first is shown above the form again.
func formProblem(err error) (int, string, bool) {
	status, msg := statusOf(err)
	switch status {
	case http.StatusBadRequest, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType,
		http.StatusUnprocessableEntity:
		return status, msg, true
	}
	return status, msg, false
}
