-- A refund a provider reported before the payment it refunds: neither Stripe nor PayPal
-- delivers events in order (a payment's notification retried for hours while its refund's went
-- through at once), and two instances whose clocks differ may order their inbox events
-- otherwise than they arrived. The refund's event is applied, recording nothing yet, and waits
-- here under each reference of the payment it names (the charge's, the payment's), until a
-- payment with one of them is recorded, by a notification or a history import: the refund is
-- then recorded against it. event_id is the event's (provider, event_id) in provider_events.
-- Portable like 00001.

-- +goose Up
CREATE TABLE refunds_awaiting_payment (
    provider TEXT NOT NULL,
    reference TEXT NOT NULL,
    event_id TEXT NOT NULL,
    PRIMARY KEY (reference, provider, event_id)
);
-- The payment's references are looked up for every payment recorded (most of them in the pass
-- of events that read them ahead, by reference alone), an event's rows only when its wait ends.
CREATE INDEX refunds_awaiting_payment_event ON refunds_awaiting_payment (provider, event_id);

-- +goose Down
DROP TABLE refunds_awaiting_payment;
