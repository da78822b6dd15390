package httpapi

import (
	"github.com/danielgtaylor/huma/v2"

	"disputed/internal/dispute"
	"disputed/internal/webhook"
)

// The dispute's coded fields as the OpenAPI document lists them: each enum is read from the
// domain's own list, the one its rules check against, so that the document cannot drift from
// what the server accepts. A field of one of these types is validated against its list.
type (
	// DisputeType is a dispute's type.
	DisputeType string
	// DisputeStatus is a dispute's status.
	DisputeStatus string
	// DisputeStage is a card-network dispute's stage.
	DisputeStage string
	// DisputeReason is a dispute's coded reason (which of them a type accepts: dispute.Reasons).
	DisputeReason string
	// DisputeResolution is how a dispute ended (which of them a type accepts: dispute.Resolutions).
	DisputeResolution string
	// DisputeChannel is where a dispute is argued.
	DisputeChannel string
	// SellerProtection is the provider's seller protection for the disputed payment.
	SellerProtection string
)

// Schema lists the channels.
func (DisputeChannel) Schema(huma.Registry) *huma.Schema { return enumSchema(dispute.Channels) }

// Schema lists the seller protection values.
func (SellerProtection) Schema(huma.Registry) *huma.Schema {
	return enumSchema(dispute.SellerProtections)
}

// Schema lists the dispute types.
func (DisputeType) Schema(huma.Registry) *huma.Schema { return enumSchema(dispute.Types) }

// Schema lists every status of any type.
func (DisputeStatus) Schema(huma.Registry) *huma.Schema { return enumSchema(dispute.AllStatuses()) }

// Schema lists the stages.
func (DisputeStage) Schema(huma.Registry) *huma.Schema { return enumSchema(dispute.Stages) }

// Schema lists every reason of any type.
func (DisputeReason) Schema(huma.Registry) *huma.Schema { return enumSchema(dispute.AllReasons) }

// Schema lists every resolution of any type.
func (DisputeResolution) Schema(huma.Registry) *huma.Schema {
	return enumSchema(dispute.AllResolutions())
}

func enumSchema[T ~string](values []T) *huma.Schema {
	s := &huma.Schema{Type: huma.TypeString}
	for _, v := range values {
		s.Enum = append(s.Enum, string(v))
	}
	return s
}

// TransformSchema lists the values of the dispute's coded fields in the schema of the dispute
// the API answers with (its fields stay plain strings for the hand-written JSON writer).
func (Dispute) TransformSchema(r huma.Registry, s *huma.Schema) *huma.Schema {
	for name, of := range map[string]huma.SchemaProvider{"type": DisputeType(""), "status": DisputeStatus(""),
		"stage": DisputeStage(""), "reason": DisputeReason(""), "resolution": DisputeResolution(""),
		"channel": DisputeChannel(""), "seller_protection": SellerProtection("")} {
		if p := s.Properties[name]; p != nil {
			p.Enum = of.Schema(r).Enum
			if p.Nullable { // a field that may be null lists null among its values
				p.Enum = append(p.Enum, nil)
			}
		}
	}
	return s
}

// TransformSchema lists the event types (webhook.EventTypes, the list an endpoint's subscription
// is checked against) in the schema of an event.
func (Event) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	if p := s.Properties["type"]; p != nil {
		p.Enum = enumSchema(webhook.EventTypes).Enum
	}
	return s
}

// TransformSchema lists the event types an endpoint may subscribe to, and "*" for all of them,
// in the schema of an endpoint.
func (WebhookEndpoint) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	if p := s.Properties["events"]; p != nil && p.Items != nil {
		p.Items.Enum = enumSchema(append([]string{webhook.All}, webhook.EventTypes...)).Enum
	}
	return s
}
