"""One module per measured operation; each exposes ``run(args) -> dict``."""
