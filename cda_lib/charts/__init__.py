"""The house chart style and the chart kinds every module shares.

Titles state the finding, axes are labelled, colours come from the Okabe-Ito palette,
every chart carries alt text, and synthetic data is labelled on the chart itself.
"""

from cda_lib.charts.kinds import (
    Chart,
    ChartContext,
    plot_request_locations,
    plot_requests_by_district,
    plot_requests_per_month,
    plot_top_request_types,
    plot_weekday_pattern,
)

__all__ = ["Chart", "ChartContext", "plot_request_locations", "plot_requests_by_district",
           "plot_requests_per_month", "plot_top_request_types", "plot_weekday_pattern"]
