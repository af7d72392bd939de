"""journeymap: customer journeys as checked, versioned files."""

__version__ = "0.1.0"
