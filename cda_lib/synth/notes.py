"""Free-text notes and street addresses for synthetic requests, with planted personal data.

Page 3.5 teaches a city to publish its requests safely, so the generated requests carry
what real ones do: a free-text note (Open311's ``description``) and a street address, in
the city's language and its country's forms. :data:`NOTE_SHARE` of the requests have a
note, and :data:`PERSONAL_SHARE` of all requests have a note that holds personal data:
a fake name (after a cue word, "my name is ..."), a phone number, an e-mail address or a
national ID number, in the formats of the city's country.

**Never real data.** Every planted value is made so it cannot be anyone's:

* names are drawn from short lists of common given names and surnames, at random;
* e-mail addresses are at example.org, example.com or example.net, the domains reserved
  for documentation (RFC 2606);
* North American phone numbers are 555-0100 to 555-0199, the range reserved for fiction;
  Mexico, Colombia and Brazil reserve none, so their numbers are zeros after the area code
  with three digits at the end (+52 55 0000 0123, +57 300 000 0123), and Brazil's use area
  code 10, which is not assigned;
* national IDs are the US Social Security numbers 987-65-4320 to 987-65-4329, set aside
  for advertising; Canadian SINs, Mexican CURPs and Brazilian CPFs whose check digits are
  deliberately wrong (:mod:`cda_lib.sources.personal_data` checks them); Colombian cédulas
  are made-up numbers (the cédula has no check digit).

The notes and addresses are drawn from a random stream of their own
(:data:`NOTES_STREAM`), after the other columns, so they change none of them. The planted
counts by kind are in ``raw.attrs["planted_personal_data"]`` and ``generation.json``.

>>> from cda_lib.cities.loader import load_city
>>> import pandas as pd
>>> table = pd.DataFrame({"district": pd.array(["Mill District"] * 400, dtype="string")})
>>> notes, planted = plant_notes(load_city("riverbend"), table)
>>> list(notes.columns[-2:]), planted.rows > 0
(['description', 'address'], True)
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cda_lib.cities.city import City
from cda_lib.sources.personal_data import cpf_is_valid, curp_is_valid, sin_is_valid
from cda_lib.synth.options import synthetic_options

NOTES_STREAM = 35  # the notes' own random stream (page 3.5): the other columns never move
NOTE_SHARE = 0.55  # requests with a free-text note: phone and web forms invite one
PERSONAL_SHARE = 0.04  # requests whose note holds personal data: residents write their own
ADDRESS_SHARE = 0.9  # requests with a street address (app requests may give only a point)
APARTMENT_SHARE = 0.15  # Brazilian addresses that add a flat ("apto 12")

GIVEN = {"en": ("Ana", "James", "Maria", "Robert", "Linda", "David", "Susan", "Kevin"),
         "es": ("Ana", "Luis", "María", "Jorge", "Carmen", "Andrés", "Lucía", "Camilo"),
         "pt": ("Ana", "João", "Maria", "Pedro", "Juliana", "Carlos", "Fernanda", "Lucas")}
SURNAMES = {"en": ("Smith", "Johnson", "Garcia", "Miller", "Nguyen", "Brown", "Lee", "Clark"),
            "es": ("Gómez", "Rodríguez", "Martínez", "López", "Ramírez", "Torres", "Díaz",
                   "Castro"),
            "pt": ("Silva", "Souza", "Oliveira", "Santos", "Pereira", "Costa", "Almeida",
                   "Ferreira")}
MAIL_DOMAINS = ("example.org", "example.com", "example.net")  # RFC 2606: never real
# Notes that hold personal data: {name}, {phone}, {email} and {id} are filled in.
PERSONAL_NOTES = {
    "en": ("Caller {name} asked for a call back at {phone}.",
           "My name is {name}, please email me at {email} when it is fixed.",
           "Resident {name} reports it again; phone {phone}.",
           "Please write to {email} with the work order number.",
           "Account check: caller gave {id}.",
           "Call back {name} at {phone} or {email}."),
    "es": ("La vecina {name} pide que la llamen al {phone}.",
           "Mi nombre es {name}, escríbanme a {email} cuando lo arreglen.",
           "Llamar a {name} al {phone} cuando pase la cuadrilla.",
           "Favor responder a {email}.",
           "El ciudadano dejó su documento {id} para el seguimiento.",
           "Me llamo {name}, mi teléfono es {phone}."),
    "pt": ("Meu nome é {name}, telefone {phone}.",
           "A vizinha {name} pede retorno no {phone}.",
           "Favor responder para {email}.",
           "Munícipe informou {id} para o cadastro.",
           "Ligar para {name} no {phone} ou escrever para {email}.",
           "Me chamo {name}, meu e-mail é {email}."),
}
PLAIN_NOTES = {
    "en": ("Deep hole in the right lane.", "Second report this month.", "Near the bus stop.",
           "Blocking the sidewalk.", "Crew could not find it last time.", "About 3 feet wide.",
           "Getting worse after the rain.", "Behind the library."),
    "es": ("Hueco profundo en el carril derecho.", "Segundo reporte este mes.",
           "Cerca del paradero.", "Bloquea la acera.", "La cuadrilla no lo encontró.",
           "Empeora con la lluvia.", "Detrás de la biblioteca.", "Mide unos 2 metros."),
    "pt": ("Buraco fundo na faixa da direita.", "Segunda reclamação este mês.",
           "Perto do ponto de ônibus.", "Bloqueia a calçada.", "A equipe não encontrou.",
           "Piora com a chuva.", "Atrás da biblioteca.", "Tem uns 2 metros."),
}
STREETS = {
    "en": ("Elm St", "River Rd", "Mill Ave", "Oak St", "Bluff Dr", "Prairie Ln", "Main St",
           "College Ave", "Lake St", "Cedar Ave", "Park Blvd", "Hill St"),
    "es": ("Calle Hidalgo", "Avenida Juárez", "Calle Morelos", "Calle del Río",
           "Avenida Central", "Calle Los Pinos", "Calle Real", "Avenida del Parque"),
    "pt": ("Rua das Flores", "Avenida Brasil", "Rua São João", "Rua da Serra",
           "Avenida Central", "Rua dos Ipês", "Rua do Comércio", "Rua Sete de Setembro"),
}
KINDS = ("name", "phone", "email", "national_id")


@dataclass
class PlantedNotes:
    """What was planted: the rows with personal data and every value, by kind."""

    rows: int = 0
    values: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in KINDS})

    def counts(self) -> dict[str, int]:
        return {"rows": self.rows, **{kind: len(v) for kind, v in self.values.items()}}


def plant_notes(city: City, table: pd.DataFrame) -> tuple[pd.DataFrame, PlantedNotes]:
    """The table with a ``description`` and an ``address`` column, and what was planted."""
    seed = int(synthetic_options(city)["seed"])
    rng = np.random.default_rng([seed, NOTES_STREAM])
    language = city.language if city.language in PERSONAL_NOTES else "en"
    n = len(table)
    draw = rng.random(n)
    planted = PlantedNotes()
    notes: list[object] = []
    for u in draw:
        if u < PERSONAL_SHARE:
            notes.append(_personal_note(rng, city.country, language, planted))
        elif u < NOTE_SHARE:
            notes.append(PLAIN_NOTES[language][rng.integers(len(PLAIN_NOTES[language]))])
        else:
            notes.append(pd.NA)
    districts = table["district"].astype("string").fillna("").to_numpy(dtype=object)
    names = sorted(set(districts))
    addresses = [(_address(rng, city.country, language, names.index(d))
                  if rng.random() < ADDRESS_SHARE else pd.NA) for d in districts]
    out = table.copy()
    out["description"] = pd.array(notes, dtype="string")
    out["address"] = pd.array(addresses, dtype="string")
    return out, planted


def _personal_note(rng: np.random.Generator, country: str, language: str,
                   planted: PlantedNotes) -> str:
    template = PERSONAL_NOTES[language][rng.integers(len(PERSONAL_NOTES[language]))]
    given = GIVEN[language][rng.integers(len(GIVEN[language]))]
    surname = SURNAMES[language][rng.integers(len(SURNAMES[language]))]
    values = {"name": f"{given} {surname}", "phone": fake_phone(rng, country),
              "email": f"{_ascii(given)}.{_ascii(surname)}"
                       f"@{MAIL_DOMAINS[rng.integers(len(MAIL_DOMAINS))]}",
              "national_id": fake_id(rng, country)}
    planted.rows += 1
    slot = {"name": "{name}", "phone": "{phone}", "email": "{email}", "national_id": "{id}"}
    for kind in KINDS:
        if slot[kind] in template:
            planted.values[kind].append(values[kind] if kind != "national_id"
                                        else values[kind].split(" ", 1)[-1])
    return template.format(name=values["name"], phone=values["phone"],
                           email=values["email"], id=values["national_id"])


def _ascii(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()


def fake_phone(rng: np.random.Generator, country: str) -> str:
    """A phone number in the country's written forms that is nobody's (see the module)."""
    end = int(rng.integers(100, 200))
    form = int(rng.integers(3))
    if country in ("United States", "Canada"):
        area = ("612", "507", "416", "902")[rng.integers(4)]
        return (f"({area}) 555-0{end}", f"{area}-555-0{end}", f"+1 {area} 555 0{end}")[form]
    if country == "Mexico":
        return (f"+52 55 0000 0{end}", f"55 0000 0{end}", f"(55) 0000-0{end}")[form]
    if country == "Colombia":
        return (f"+57 300 000 0{end}", f"300 000 0{end}", f"+57 601 000 0{end}")[form]
    if country == "Brazil":
        return (f"(10) 90000-0{end}", f"+55 10 90000-0{end}", f"10 3000-0{end}")[form]
    return f"+99 000 000 0{end}"


def fake_id(rng: np.random.Generator, country: str) -> str:
    """A national ID with its label ("CPF 123.456.789-00") that is nobody's (see above)."""
    digits = rng.integers(0, 10, size=11)
    if country == "United States":
        return f"SSN 987-65-432{digits[0]}"
    if country == "Canada":
        text = f"0{digits[0]}{digits[1]} {''.join(map(str, digits[2:5]))} " \
               f"{''.join(map(str, digits[5:8]))}"
        if sin_is_valid(text):  # a wrong check digit: nobody's number
            text = text[:-1] + str((int(text[-1]) + 1) % 10)
        return f"SIN {text}"
    if country == "Mexico":
        letters = "".join(chr(65 + int(v)) for v in rng.integers(0, 26, size=9))
        curp = (f"{letters[:4]}{''.join(map(str, digits[:6]))}"
                f"{'HM'[digits[6] % 2]}{letters[4:9]}0{digits[7]}")
        if curp_is_valid(curp):
            curp = curp[:-1] + str((int(curp[-1]) + 1) % 10)
        return f"CURP {curp}"
    if country == "Colombia":
        return f"C.C. 1.0{digits[0]}{digits[1]}.{''.join(map(str, digits[2:5]))}." \
               f"{''.join(map(str, digits[5:8]))}"
    if country == "Brazil":
        body = "".join(map(str, digits[:9]))
        cpf = f"{body[:3]}.{body[3:6]}.{body[6:]}-{digits[9]}{digits[10]}"
        if cpf_is_valid(cpf):
            cpf = cpf[:-1] + str((int(cpf[-1]) + 1) % 10)
        return f"CPF {cpf}"
    return f"ID {''.join(map(str, digits))}"


def _address(rng: np.random.Generator, country: str, language: str, district: int) -> str:
    """A street address in the country's form, on one of the district's streets."""
    streets = STREETS[language]
    street = streets[(district * 3 + int(rng.integers(4))) % len(streets)]
    number = int(rng.integers(1, 5000))
    if country == "Colombia":
        kind = ("Calle", "Carrera")[rng.integers(2)]
        return f"{kind} {district * 5 + int(rng.integers(1, 6))} # " \
               f"{int(rng.integers(1, 90))}-{int(rng.integers(1, 99))}"
    if language == "pt":
        flat = f" - apto {int(rng.integers(1, 400))}" if rng.random() < APARTMENT_SHARE else ""
        return f"{street}, {number}{flat}"
    if language == "es":
        return f"{street} {number}"
    return f"{number} {street}"
