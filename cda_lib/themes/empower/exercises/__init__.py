"""The exercises of theme 3: per exercise notebook (3.2 and 3.3 for now), a YAML file of the
exercises and a module of the functions it names."""
