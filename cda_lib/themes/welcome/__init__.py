"""Module 0, Welcome: how to use the workbook and your city at a glance, with its exercises."""
