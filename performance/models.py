"""Models of this domain (see the app's issue)."""
