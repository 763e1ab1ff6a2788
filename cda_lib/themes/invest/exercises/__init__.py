"""The exercises of theme 2: per exercise notebook (2.4 for now), a YAML file of the exercises
and a module of the functions it names."""
