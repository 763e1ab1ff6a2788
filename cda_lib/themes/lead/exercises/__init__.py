"""The exercises of theme 1, one module per exercise notebook (1.1 to 1.5)."""
