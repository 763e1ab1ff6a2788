"""Where a city's requests come from: local files through a column mapping, open-data
portals (Socrata, ArcGIS, CKAN) kept in a cache, and Census demographics; every load keeps
its account (rows read = kept + set aside)."""
