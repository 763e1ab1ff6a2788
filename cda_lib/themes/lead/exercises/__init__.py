"""The exercises of theme 1: per exercise notebook (1.1 to 1.5), a YAML file of the exercises
and a module of the functions it names."""
