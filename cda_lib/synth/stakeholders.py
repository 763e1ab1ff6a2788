"""A synthetic stakeholder list for page 3.1, made for each city from its seed.

A city that gives no list of its own (``sources.stakeholders``,
:mod:`cda_lib.sources.stakeholders`) gets this one: the council, the departments the data
work leans on, the workers' union, the business chamber, local media, community
organisations, civic tech volunteers, a university, the neighbourhood associations and a
residents' group for each of the districts the page says are least served (the districts
are given, in that order, by the page). Every stakeholder is an organisation or a group,
never a person, named in the city's language.

Each kind has a typical interest and influence (1 to 5); the seed moves each score by at
most one step, so every city's map differs a little and each is the same every time
(the city file's ``sources.service_requests.seed``, else a hash of its id:
:func:`cda_lib.synth.investments.investment_seed`). It is teaching material, labelled
synthetic wherever it is shown.

>>> from cda_lib.cities.loader import load_city
>>> table = synthetic_stakeholders(load_city("riverbend"), ["Mill District"])
>>> table["name"].iloc[0], table["group"].iloc[0]
('Riverbend City Council', 'council')
>>> table["name"].iloc[-1]
'Residents of Mill District'
>>> bool(table["interest"].between(1, 5).all() and table["influence"].between(1, 5).all())
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cda_lib.cities.city import City
from cda_lib.sources.stakeholders import COLUMNS, SCORES
from cda_lib.synth.investments import investment_seed

STREAM = 31  # the module's number, 3.1: a random stream apart from the other synthetic data
LANGUAGES = ("en", "es", "pt")
RESIDENT_GROUPS = 3  # residents' groups of the least-served districts: enough to be heard
# How far the seed moves a typical score, each step equally likely (kept within 1 to 5).
SHIFTS = (-1, 0, 0, 1)

# key: group, typical interest, typical influence, and the name in en, es and pt ({city}).
KINDS = (
    ("council", "council", 4, 5, ("{city} City Council", "Concejo Municipal de {city}",
                                  "Câmara Municipal de {city}")),
    ("budget", "department", 2, 5, ("Budget Office", "Secretaría de Hacienda",
                                    "Secretaria da Fazenda")),
    ("public_works", "department", 4, 4, ("Public Works Department",
                                          "Secretaría de Obras Públicas",
                                          "Secretaria de Obras")),
    ("service_line", "department", 5, 4, ("311 and Customer Service",
                                          "Dirección de Atención Ciudadana",
                                          "Central de Atendimento ao Cidadão")),
    ("technology", "department", 4, 3, ("Information Technology Department",
                                        "Dirección de Tecnología",
                                        "Departamento de Tecnologia da Informação")),
    ("union", "union", 3, 4, ("Municipal Workers' Union", "Sindicato de Trabajadores "
                              "Municipales", "Sindicato dos Servidores Municipais")),
    ("business", "business", 2, 4, ("{city} Chamber of Commerce", "Cámara de Comercio de {city}",
                                    "Associação Comercial de {city}")),
    ("media", "media", 2, 4, ("Local newspapers and radio", "Prensa y radio locales",
                              "Imprensa e rádio locais")),
    ("neighbourhoods", "neighbourhood", 4, 3, ("Federation of Neighborhood Associations",
                                               "Federación de Juntas de Vecinos",
                                               "Federação das Associações de Moradores")),
    ("community", "community", 5, 2, ("Community organizations' network",
                                      "Red de organizaciones comunitarias",
                                      "Rede de organizações comunitárias")),
    ("civic_tech", "civic_tech", 5, 1, ("Civic tech volunteers", "Colectivo de tecnología "
                                        "cívica", "Coletivo de tecnologia cívica")),
    ("university", "university", 3, 2, ("University urban data lab",
                                        "Laboratorio de datos urbanos de la universidad",
                                        "Laboratório de dados urbanos da universidade")),
)
RESIDENTS = ("residents", 5, 1, ("Residents of {district}", "Vecinos de {district}",
                                 "Moradores de {district}"))


def synthetic_stakeholders(city: City, least_served=()) -> pd.DataFrame:
    """The city's synthetic stakeholders (:data:`cda_lib.sources.stakeholders.COLUMNS`).

    ``least_served`` names districts, least served first; the first
    :data:`RESIDENT_GROUPS` get a residents' group each."""
    language = city.language if city.language in LANGUAGES else "en"
    index = LANGUAGES.index(language)
    rng = np.random.default_rng([investment_seed(city), STREAM])
    rows = [{"name": names[index].format(city=city.name), "group": group, "district": "",
             "interest": interest, "influence": influence}
            for _key, group, interest, influence, names in KINDS]
    group, interest, influence, names = RESIDENTS
    rows += [{"name": names[index].format(district=district), "group": group,
              "district": str(district), "interest": interest, "influence": influence}
             for district in list(least_served)[:RESIDENT_GROUPS]]
    table = pd.DataFrame(rows)
    for column in ("interest", "influence"):
        shifts = rng.choice(SHIFTS, size=len(table))
        table[column] = np.clip(table[column] + shifts, *SCORES).astype(int)
    return table[list(COLUMNS)]
