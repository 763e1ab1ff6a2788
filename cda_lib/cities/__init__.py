"""City files: one YAML file per city, read strictly and checked field by field.

>>> from cda_lib.cities import load_city
>>> load_city("riverbend").name
'Riverbend'
"""

from cda_lib.cities.city import Bounds, City, DataSource
from cda_lib.cities.loader import city_file_path, list_city_ids, load_city, parse_city

__all__ = ["Bounds", "City", "DataSource", "city_file_path", "list_city_ids", "load_city",
           "parse_city"]
