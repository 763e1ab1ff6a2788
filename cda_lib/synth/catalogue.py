"""The 13 request types the generator plants: their names and departments in en, es and pt,
their share of all requests, their time to close, their season and who reports them.

>>> [t.code for t in REQUEST_TYPES][:3]
['POTHOLE', 'STREETLIGHT', 'GRAFFITI']
>>> REQUEST_TYPES[0].name.in_language("es")
'Reparación de baches'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Wording:
    """The same text in each workbook language."""

    en: str
    es: str
    pt: str

    def in_language(self, language: str) -> str:
        """The text in ``language`` (en, es or pt)."""
        return getattr(self, language)


@dataclass(frozen=True)
class RequestType:
    """One kind of service request and how the generator plants it.

    ``volume_weight`` is the type's share of all requests; ``median_days`` and ``spread``
    (the standard deviation of log days) shape the lognormal time to close; ``season``
    names a monthly profile in :data:`cda_lib.synth.generator.SEASONAL_PROFILES`;
    ``never_closed_share`` of the type stays open forever; requests per resident rise
    with ``volume_driver`` (a demographic share) by ``driver_elasticity`` per unit share,
    on a log scale.
    """

    code: str
    name: Wording
    agency: Wording
    volume_weight: float
    median_days: float
    spread: float
    season: str
    never_closed_share: float
    volume_driver: str | None
    driver_elasticity: float


_STREETS = Wording("Streets and Transportation", "Movilidad e Infraestructura Vial",
                   "Mobilidade e Infraestrutura Viária")
_LIGHTING = Wording("Street Lighting", "Alumbrado Público", "Iluminação Pública")
_SANITATION = Wording("Sanitation", "Aseo y Residuos Sólidos", "Limpeza Urbana")
_CODE_ENFORCEMENT = Wording("Code Enforcement", "Control Urbano", "Fiscalização Urbana")
_PARKS = Wording("Parks and Forestry", "Parques y Arborización", "Parques e Arborização")
_WATER = Wording("Water Department", "Acueducto y Alcantarillado", "Saneamento e Águas")
_HEALTH = Wording("Public Health", "Salud Pública", "Vigilância Sanitária")
_TRAFFIC = Wording("Traffic Engineering", "Semaforización", "Engenharia de Tráfego")

# Volumes, times and seasons follow what large open 311 datasets (NYC, Chicago, Boston,
# São Paulo 156) show: collection requests are the bulk and close in a day or two,
# sidewalks and trees take months, signals and leaks are emergencies.
REQUEST_TYPES: tuple[RequestType, ...] = (
    RequestType("POTHOLE", Wording("Pothole repair", "Reparación de baches",
                                   "Buraco na via"),
                _STREETS, 0.10, 4.0, 1.0, "freeze_thaw", 0.03, "share_low_income", -2.0),
    RequestType("STREETLIGHT", Wording("Streetlight out", "Luminaria apagada",
                                       "Lâmpada de poste apagada"),
                _LIGHTING, 0.08, 7.0, 0.9, "winter", 0.03, "share_low_income", -1.5),
    RequestType("GRAFFITI", Wording("Graffiti removal", "Remoción de grafiti",
                                    "Remoção de pichação"),
                _CODE_ENFORCEMENT, 0.07, 6.0, 1.0, "summer", 0.04, "share_renters", 1.5),
    RequestType("MISSED_COLLECTION", Wording("Missed trash collection",
                                             "Recolección de basura no realizada",
                                             "Coleta de lixo não realizada"),
                _SANITATION, 0.15, 1.5, 0.6, "flat", 0.005, "share_renters", -1.5),
    RequestType("BULKY_ITEM", Wording("Bulky item pickup", "Recolección de objetos voluminosos",
                                      "Coleta de objetos volumosos"),
                _SANITATION, 0.18, 5.0, 0.6, "summer", 0.01, "share_renters", 1.5),
    RequestType("ILLEGAL_DUMPING", Wording("Illegal dumping", "Disposición ilegal de residuos",
                                           "Descarte irregular de lixo"),
                _SANITATION, 0.09, 6.0, 0.9, "summer", 0.03, "share_low_income", 2.5),
    RequestType("ABANDONED_VEHICLE", Wording("Abandoned vehicle", "Vehículo abandonado",
                                             "Veículo abandonado"),
                _CODE_ENFORCEMENT, 0.06, 12.0, 0.8, "flat", 0.05, "share_low_income", 1.5),
    RequestType("NOISE", Wording("Noise complaint", "Queja por ruido",
                                 "Perturbação do sossego"),
                _CODE_ENFORCEMENT, 0.08, 0.5, 1.0, "summer", 0.01, "share_renters", 2.0),
    RequestType("TREE", Wording("Tree maintenance", "Mantenimiento de árboles",
                                "Poda ou remoção de árvore"),
                _PARKS, 0.05, 30.0, 1.1, "storms", 0.08, "share_renters", -2.0),
    RequestType("SIDEWALK", Wording("Sidewalk repair", "Reparación de andenes",
                                    "Conserto de calçada"),
                _STREETS, 0.03, 90.0, 1.0, "freeze_thaw", 0.12, "share_age_65_plus", 2.0),
    RequestType("WATER_LEAK", Wording("Water leak", "Fuga de agua", "Vazamento de água"),
                _WATER, 0.04, 1.5, 0.9, "winter", 0.01, None, 0.0),
    RequestType("RODENTS", Wording("Rodent control", "Control de roedores",
                                   "Controle de roedores"),
                _HEALTH, 0.04, 10.0, 0.8, "summer", 0.04, "share_low_income", 2.5),
    RequestType("TRAFFIC_SIGNAL", Wording("Traffic signal problem", "Semáforo dañado",
                                          "Semáforo com defeito"),
                _TRAFFIC, 0.03, 0.8, 0.8, "flat", 0.005, None, 0.0),
)

SERVICE_TYPE_CODES: tuple[str, ...] = tuple(t.code for t in REQUEST_TYPES)
