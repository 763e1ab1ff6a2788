"""The one place numbers, percentages, points, dates and periods are written as words."""
