"""Small pieces every app shares and that belong to none of them (no models, not an app)."""
