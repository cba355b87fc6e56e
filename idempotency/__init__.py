"""Stripe-style `Idempotency-Key` for the API's creates: a retried POST stores one row and answers the same."""
