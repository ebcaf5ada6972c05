"""socwizard: which SOC report to demand from a vendor, and is what it sent good enough."""

__version__ = "0.1.0"
