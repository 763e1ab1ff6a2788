"""The synthetic demo data: two years of service requests per city from its seed."""
