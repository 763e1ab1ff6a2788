"""A fictional data inventory for page 2.2, made for each demo city from its seed.

A demo city has no portal, so it has no catalog to read. This module writes one: sixteen
datasets a city of any size holds (311 requests, potholes, crime incidents, the budget,
building permits...) across eight departments, in the city's language, with the gaps real
inventories have planted in them: licences, contacts and update frequencies left out, a
description missing, datasets not updated for longer than they promise, files only in a
closed format, a sensitive dataset with no note on why it is not public. Which datasets
get which gap, and how late each is, come from the seed (the city file's
``sources.service_requests.seed``, else a hash of its id: :func:`investment_seed`), so every
city's inventory differs and each is the same every time.

The inventory is teaching material, labelled synthetic wherever it is shown; its names
and departments are data (the city's own catalog, in the city's language), not page text.

>>> from cda_lib.cities.loader import load_city
>>> import pandas as pd
>>> entries = synthetic_inventory(load_city("riverbend"), pd.Timestamp("2025-12-31"))
>>> len(entries), entries[0].title
(16, '311 service requests')
>>> synthetic_inventory(load_city("riverbend"), pd.Timestamp("2025-12-31")) == entries
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cda_lib.cities.city import City
from cda_lib.sources.catalog import CatalogEntry, frequency_days
from cda_lib.synth.investments import investment_seed

STREAM = 22  # the module's number: a random stream of its own, apart from 2.4's and the requests'
LANGUAGES = ("en", "es", "pt")
# How many datasets get each planted gap, at least and at most: the seed draws the number,
# then the datasets among those the gap can apply to, so the widest gap differs by city.
PLANTED = {"license": (2, 5), "contact": (1, 4), "frequency": (1, 3), "description": (1, 2),
           "department": (1, 2), "late": (2, 5), "closed_format": (1, 3), "source": (2, 6)}
# A late dataset was last updated this many times its declared period ago; an up-to-date
# one at most this share of its period ago.
LATE_RANGE = (1.5, 4.0)
FRESH_SHARE = 0.8
IRREGULAR_DAYS = 400  # an irregular dataset was last updated up to this many days ago

DEPARTMENTS = {
    "customer_service": ("311 and Customer Service", "Atención Ciudadana y 311",
                         "Atendimento ao Cidadão e 156"),
    "public_works": ("Public Works", "Obras Públicas", "Obras Públicas"),
    "sanitation": ("Sanitation", "Limpieza Urbana", "Limpeza Urbana"),
    "police": ("Police Department", "Policía Municipal", "Guarda Municipal"),
    "parks": ("Parks and Recreation", "Parques y Recreación", "Parques e Lazer"),
    "finance": ("Finance", "Hacienda", "Fazenda"),
    "planning": ("Planning and Permits", "Planeamiento y Permisos", "Planejamento e Licenças"),
    "human_resources": ("Human Resources", "Recursos Humanos", "Recursos Humanos"),
}
CONTACT_ROLE = ("Open data liaison, {department}", "Enlace de datos abiertos, {department}",
                "Ponto focal de dados abertos, {department}")
# key, department, frequency, formats, access level, sensitivity note or "", source system,
# title and description in English, Spanish and Portuguese.
BLUEPRINT = (
    ("service-requests", "customer_service", "R/P1D", ("csv", "json"), "public", "",
     "311 case system",
     ("311 service requests", "Solicitudes de servicio 311", "Solicitações de serviço 156"),
     ("Every request residents made to the city, with its type, place and dates.",
      "Cada solicitud de los vecinos a la ciudad, con su tipo, lugar y fechas.",
      "Cada solicitação dos moradores à prefeitura, com tipo, local e datas.")),
    ("potholes", "public_works", "R/P1W", ("csv",), "public", "", "work order system",
     ("Pothole repairs", "Reparación de baches", "Reparo de buracos"),
     ("Potholes reported and repaired, with the crew and the days to repair.",
      "Baches reportados y reparados, con la cuadrilla y los días de reparación.",
      "Buracos informados e reparados, com a equipe e os dias até o reparo.")),
    ("street-lights", "public_works", "R/P1M", ("csv", "geojson"), "public", "",
     "asset register",
     ("Street lights", "Alumbrado público", "Iluminação pública"),
     ("Every street light, its type and its last repair.",
      "Cada luminaria, su tipo y su última reparación.",
      "Cada poste de luz, seu tipo e seu último reparo.")),
    ("road-ratings", "public_works", "R/P1Y", ("xlsx",), "public", "", "pavement survey",
     ("Road condition ratings", "Estado de las calles", "Condição das vias"),
     ("The yearly condition rating of each street segment.",
      "La calificación anual del estado de cada tramo de calle.",
      "A nota anual da condição de cada trecho de via.")),
    ("collection-routes", "sanitation", "R/P3M", ("geojson",), "public", "", "route planner",
     ("Waste collection routes", "Recorridos de recolección", "Rotas de coleta"),
     ("The routes and days of household waste collection.",
      "Los recorridos y días de recolección de residuos domiciliarios.",
      "As rotas e os dias da coleta de lixo domiciliar.")),
    ("missed-collections", "sanitation", "R/P1W", ("csv",), "public", "", "311 case system",
     ("Missed collections", "Recolecciones no realizadas", "Coletas não realizadas"),
     ("Collections reported missed, by route and week.",
      "Recolecciones reportadas como no realizadas, por recorrido y semana.",
      "Coletas informadas como não realizadas, por rota e semana.")),
    ("crime-incidents", "police", "R/P1D", ("csv", "json"), "public", "",
     "records management system",
     ("Crime incidents", "Incidentes delictivos", "Ocorrências criminais"),
     ("Reported incidents by type and block, without names.",
      "Incidentes denunciados por tipo y cuadra, sin nombres.",
      "Ocorrências registradas por tipo e quadra, sem nomes.")),
    ("use-of-force", "police", "R/P1M", ("csv",), "restricted public",
     "Published by district and month only: single incidents could identify officers and "
     "residents.", "records management system",
     ("Use of force reports", "Informes de uso de la fuerza", "Relatórios de uso da força"),
     ("Reports of force used by officers, counted by district and month.",
      "Informes de uso de la fuerza por agentes, contados por distrito y mes.",
      "Relatórios de uso da força por agentes, contados por distrito e mês.")),
    ("victim-services", "police", "R/P1M", (), "non-public",
     "Holds names and addresses of victims: kept private under the city's privacy policy.",
     "case management system",
     ("Victim services cases", "Casos de atención a víctimas", "Casos de atendimento a vítimas"),
     ("Cases of the victim services unit, with the help given.",
      "Casos de la unidad de atención a víctimas, con la ayuda brindada.",
      "Casos da unidade de atendimento a vítimas, com o apoio prestado.")),
    ("park-inspections", "parks", "R/P1M", ("xlsx",), "public", "", "inspection forms",
     ("Park inspections", "Inspecciones de parques", "Vistorias de parques"),
     ("Monthly inspections of playgrounds and park facilities.",
      "Inspecciones mensuales de juegos y equipamiento de parques.",
      "Vistorias mensais de parquinhos e equipamentos dos parques.")),
    ("street-trees", "parks", "R/P1Y", ("csv", "geojson"), "public", "", "tree survey",
     ("Street trees", "Arbolado urbano", "Arborização urbana"),
     ("Every street tree, its species and condition.",
      "Cada árbol de la vía pública, su especie y su estado.",
      "Cada árvore de rua, sua espécie e condição.")),
    ("budget", "finance", "R/P1Y", ("csv", "xlsx"), "public", "", "financial system",
     ("Adopted budget", "Presupuesto aprobado", "Orçamento aprovado"),
     ("The adopted budget by department and program.",
      "El presupuesto aprobado por área y programa.",
      "O orçamento aprovado por secretaria e programa.")),
    ("vendor-payments", "finance", "R/P1M", ("csv",), "public", "", "financial system",
     ("Payments to vendors", "Pagos a proveedores", "Pagamentos a fornecedores"),
     ("Every payment to a vendor: date, amount and purpose.",
      "Cada pago a un proveedor: fecha, monto y objeto.",
      "Cada pagamento a um fornecedor: data, valor e finalidade.")),
    ("building-permits", "planning", "R/P1W", ("csv", "json"), "public", "", "permit system",
     ("Building permits", "Permisos de obra", "Alvarás de construção"),
     ("Permits applied for and issued, with the days to decide.",
      "Permisos solicitados y otorgados, con los días hasta la decisión.",
      "Alvarás pedidos e emitidos, com os dias até a decisão.")),
    ("zoning", "planning", "irregular", ("geojson",), "public", "", "GIS",
     ("Zoning map", "Mapa de zonificación", "Mapa de zoneamento"),
     ("The zoning districts in force.", "Los distritos de zonificación vigentes.",
      "As zonas de uso do solo em vigor.")),
    ("employee-records", "human_resources", "R/P1M", (), "non-public",
     "Personal records of staff: private by law; counts by department are in the budget.",
     "payroll system",
     ("Employee records", "Legajos del personal", "Cadastro de servidores"),
     ("Staff records: position, department, start date and pay.",
      "Legajos del personal: cargo, área, fecha de ingreso y sueldo.",
      "Cadastro dos servidores: cargo, secretaria, data de ingresso e salário.")),
)
LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"
# What a "closed format" gap replaces a dataset's files with.
CLOSED_FORMATS = ("pdf",)


def synthetic_inventory(city: City, as_of: pd.Timestamp) -> tuple[CatalogEntry, ...]:
    """The city's fictional inventory as of ``as_of`` (the city's data as-of date)."""
    language = city.language if city.language in LANGUAGES else "en"
    index = LANGUAGES.index(language)
    rng = np.random.default_rng([investment_seed(city), STREAM])
    gaps = _planted_gaps(rng)
    as_of = pd.Timestamp(as_of).normalize()
    host = f"{city.id}.example.org"
    entries = []
    for number, row in enumerate(BLUEPRINT):
        key, department, frequency, formats, access, rights, source, titles, texts = row
        planted = gaps[number]
        department_name = DEPARTMENTS[department][index]
        period = frequency_days(frequency)
        if period is None:
            age = float(rng.uniform(0, IRREGULAR_DAYS))
        elif "late" in planted:
            age = period * float(rng.uniform(*LATE_RANGE))
        else:
            age = period * float(rng.uniform(0, FRESH_SHARE))
        modified = as_of - pd.Timedelta(days=int(age))
        if "closed_format" in planted and formats:
            formats = CLOSED_FORMATS
        distributions = tuple({"url": f"https://data.{host}/{key}.{name}", "media_type": "",
                               "format": name} for name in formats)
        entries.append(CatalogEntry(
            identifier=f"{city.id}-{key}",
            title=titles[index],
            description="" if "description" in planted else texts[index],
            department="" if "department" in planted else department_name,
            contact_name="" if "contact" in planted else
            CONTACT_ROLE[index].format(department=department_name),
            contact_email="" if "contact" in planted else
            f"{department.replace('_', '-')}@{host}",
            license="" if "license" in planted or access == "non-public" else LICENSE,
            frequency="" if "frequency" in planted else frequency,
            modified=modified,
            issued=modified - pd.Timedelta(days=int(rng.integers(400, 2000))),
            access_level=access,
            rights=rights,
            source="" if "source" in planted else source,
            keywords=(key.replace("-", " "),),
            formats=formats,
            distributions=distributions,
            landing_page=f"https://data.{host}/dataset/{key}",
        ))
    return tuple(entries)


def _planted_gaps(rng: np.random.Generator) -> list[set[str]]:
    """Which datasets get which gap: each gap on datasets drawn without repeats. Licence and
    format gaps go to published datasets only; a dataset gets at most one lateness."""
    gaps: list[set[str]] = [set() for _ in BLUEPRINT]
    published = [i for i, row in enumerate(BLUEPRINT) if row[4] != "non-public"]
    everyone = list(range(len(BLUEPRINT)))
    regular = [i for i, row in enumerate(BLUEPRINT) if row[2] != "irregular"]
    for gap, (least, most) in PLANTED.items():
        count = int(rng.integers(least, most + 1))
        pool = published if gap in ("license", "closed_format") else (
            regular if gap in ("late", "frequency") else everyone)
        for chosen in rng.choice(pool, size=count, replace=False):
            gaps[int(chosen)].add(gap)
    return gaps
